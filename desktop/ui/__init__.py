"""Windows, views and dialogs (widgets only: data comes through `ContactBook`)."""
