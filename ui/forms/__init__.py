"""The form screens' building blocks: one answer widget per question type (`ui.forms.registry`), the texts of errors
and answers, and the background call that sends a submission off the GUI thread. Imported only by the form screens,
never before the kiosk's first paint."""
