"""The billing line as an accessible web page: semantic HTML over a websocket per call."""
