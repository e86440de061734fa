"""Live widgets for the chapters. Only nnscratch.widgets.ui imports ipywidgets.

Each chapter's widgets live in the module named for it (e.g. nnscratch.widgets.inference);
they wire controls to figure functions and add no maths of their own.
"""
