"""Nam Định's own criteria sets, installed as an ntmkit plugin."""
