"""The course's class colours and markers: one definition, safe for colour-blind readers.

Blue, red and yellow (after Paul Tol's "bright" scheme and Okabe & Ito's blue) differ in
lightness as well as in hue, so they stay apart under deuteranopia, protanopia and
tritanopia, solid and as the pale shading of a region plot. tests/test_palette.py measures
it (CIEDE2000 under the Machado 2009 simulations). A marker per class repeats the class in
shape, for readers who cannot rely on colour at all (or print in grey).
"""

# Class k is drawn in CLASS_COLOURS[k] with CLASS_MARKERS[k]; the first three are the
# spiral's classes, the most distinct pair of the five.
CLASS_COLOURS = ("#0072B2", "#EE6677", "#CCBB44", "#66CCEE", "#CC79A7")
CLASS_MARKERS = ("o", "s", "^", "D", "v")

# Opacity of a class's shading over white in region plots: pale enough for points drawn on
# top to stand out, strong enough for the shades to differ (the test measures them at it).
REGION_ALPHA = 0.35


def class_colour(k: int) -> str:
    return CLASS_COLOURS[int(k) % len(CLASS_COLOURS)]


def class_marker(k: int) -> str:
    return CLASS_MARKERS[int(k) % len(CLASS_MARKERS)]
