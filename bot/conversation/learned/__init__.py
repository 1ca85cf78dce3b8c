"""A second reader, learned from the labelled group messages (tests/faq_*.yaml): what a
member's message is (a general question and its FAQ entry, this satker's own case, chat,
a status request, a complaint), as probabilities.

The rules in bot/conversation/reading.py read a message first; this model gives them a
second opinion (bot/conversation/reading.py decides how the two are combined, and
bot/conversation/policy.py how the FAQ's match and the model's entry are). Inference is
plain Python over a shipped weight file; training (train.py) needs scikit-learn and runs
only when the labelled sets change.
"""
