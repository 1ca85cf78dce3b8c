// The dashboard's script: reads Telegram's launch data, asks the server, shows its HTML.
// The launch data goes in a header on every request, never in a URL; the page drops it
// from the address bar at once. Figures and their HTML come from the server, escaped there.
"use strict";
(function () {
  var hash = new URLSearchParams(location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  var initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
  var theme = (tg && tg.themeParams) || parseJSON(hash.get("tgWebAppThemeParams"));
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  applyTheme(theme);
  if (window.TelegramWebviewProxy) {
    try {
      window.TelegramWebviewProxy.postEvent("web_app_ready", "");
      window.TelegramWebviewProxy.postEvent("web_app_expand", "");
    } catch (e) { /* an old client: nothing to tell it */ }
  }
  var current = null;
  var $ = function (id) { return document.getElementById(id); };

  function parseJSON(text) {
    try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function applyTheme(p) {
    if (!p) return;
    var names = {
      bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
      button_color: "--button", button_text_color: "--button-text",
      secondary_bg_color: "--bg2", destructive_text_color: "--late"
    };
    Object.keys(names).forEach(function (k) {
      if (typeof p[k] === "string" && /^#[0-9a-fA-F]{3,8}$/.test(p[k])) {
        document.documentElement.style.setProperty(names[k], p[k]);
      }
    });
  }

  function call(method, path, body) {
    var opts = { method: method, headers: { "Authorization": "tma " + initData } };
    if (body) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function say(text) {
    var p = document.createElement("p");
    p.className = "notice";
    p.textContent = text;
    $("view").replaceChildren(p);
  }

  function filters() {
    return { periode: $("f-period").value, lo: $("f-lo").value, satker: $("f-satker").value };
  }

  function show(view) {
    current = view;
    document.querySelectorAll("#tabs button").forEach(function (b) {
      b.setAttribute("aria-current", b.dataset.view === view ? "page" : "false");
    });
    var q = new URLSearchParams(filters()).toString();
    $("view").setAttribute("aria-busy", "true");
    call("GET", "api/view/" + encodeURIComponent(view) + "?" + q).then(function (r) {
      $("view").removeAttribute("aria-busy");
      if (r.status === 200) $("view").innerHTML = r.data.html;
      else say(r.data.error || "Mohon maaf, terjadi kendala.");
    }, function () { say("Mohon maaf, dasbor tidak dapat dihubungi. Coba lagi."); });
  }

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function start(me) {
    $("who").textContent = me.who;
    me.views.forEach(function (v) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = v.label;
      b.dataset.view = v.id;
      b.addEventListener("click", function () { show(v.id); });
      $("tabs").appendChild(b);
    });
    if (me.los.length) {
      me.los.forEach(function (l) { option($("f-lo"), l[0], l[1]); });
      $("l-lo").hidden = false;
    }
    if (me.satker.length) {
      me.satker.forEach(function (s) { option($("satker-list"), s[0], s[0] + " " + s[1]); });
      $("l-satker").hidden = false;
    }
    $("filters").hidden = false;
    ["f-period", "f-lo"].forEach(function (id) {
      $(id).addEventListener("change", function () { show(current); });
    });
    $("f-satker").addEventListener("change", function () {
      if ($("f-satker").checkValidity()) show(current);
    });
    $("export").addEventListener("click", function () {
      var body = filters();
      body.view = current;
      $("note").textContent = "Menyiapkan berkas…";
      call("POST", "api/ekspor", body).then(function (r) {
        $("note").textContent = r.data.message || r.data.error || "";
      });
    });
    show(me.views[0].id);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!initData) {
      say("Buka dasbor melalui tombol 📊 Dasbor di chat pribadi dengan bot.");
      return;
    }
    call("POST", "api/me").then(function (r) {
      if (r.status === 200) start(r.data);
      else say(r.data.error || "Mohon maaf, terjadi kendala.");
    }, function () { say("Mohon maaf, dasbor tidak dapat dihubungi. Coba lagi."); });
  });
})();
