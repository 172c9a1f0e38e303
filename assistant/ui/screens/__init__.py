"""The kiosk's screens: the call, and the settings."""
