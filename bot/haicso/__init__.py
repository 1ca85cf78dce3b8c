"""The bridge to HAI CSO (issue 22; seed 003, S-1691/PB.8/2018).

The IKU of a CSO is computed from the tickets entered in HAI CSO (OM-SPAN, menu HAI
DJPb), which has no public API: the bridge is a working day and files.

- ``entries``: each ticket's HAI state (not entered / entered with HAI's number / not to
  be entered, with a reason) and the CSO's taps and replies that change it;
- ``day``: the 16.00 list of today's tickets not entered yet, the 17.00 step that carries
  what is left into the next morning's list flagged late, and ``/haicso``'s open list;
- ``blocks``: a ticket as a block ready to copy into HAI CSO's form;
- ``layout``: HAI CSO's columns (a TOML file; a documented default is shipped);
- ``dayfile``: the day's tickets as XLSX or CSV in the order of HAI CSO's input fields;
- ``reconcile``: an uploaded "Laporan Layanan Permasalahan" export against the bot;
- ``rekap``: "tercatat di HAI CSO: x dari y" and the IKU estimate on entered tickets.
"""
