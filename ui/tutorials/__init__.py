"""The kiosk's side of the tutorials: simulated practice screens, pictures and the step renderer's parts."""
