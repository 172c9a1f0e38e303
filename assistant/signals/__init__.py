"""Telephone-line signals in numpy: DTMF keys, the Baudot TTY modem, and the line demultiplexer.

Modules: `dtmf` (generator and detector), `baudot` (US TTY character set), `tty` and
`tty_demod` (FSK modem, echo guard), `line` (keys, TTY text and carrier changes from one line
in time order), `tonebank` (the block DFT both modems stand on), `commands` (the `dialin
dtmf` and `dialin tty` commands).
"""
