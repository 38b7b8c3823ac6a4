"""The Qt widgets front end."""
