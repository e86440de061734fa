"""The class colours stay apart for colour-blind readers, solid and as shaded regions.

How it is measured: each colour is simulated as a dichromat sees it (Machado, Oliveira and
Fernandes 2009, "A physiologically-based model for simulation of color vision deficiency",
severity 1.0, applied to linear-light sRGB), converted to CIELAB (D65), and every pair is
compared with CIEDE2000. A region's shade is the colour blended over white at REGION_ALPHA,
as matplotlib paints it. About 2.3 is a just-noticeable difference; the thresholds below ask
for clearly different colours: ΔE00 >= 15 for the spiral's three classes (the course's usual
case) solid, >= 8 shaded; >= 10 and >= 4.5 for all five classes.
"""

import itertools

import numpy as np
import pytest

from nnscratch.figures.palette import CLASS_COLOURS, CLASS_MARKERS, REGION_ALPHA

MACHADO_2009 = {
    "normal vision": np.eye(3),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def srgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    f = SRGB_TO_XYZ @ rgb_linear / WHITE_D65
    f = np.where(f > 216 / 24389, np.cbrt(f), (24389 / 27 * f + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, vision: str, alpha: float = 1.0) -> np.ndarray:
    """CIELAB of the colour, painted at alpha over white, as the given vision sees it."""
    painted = alpha * srgb(hex_colour) + (1 - alpha)
    return lab(np.clip(MACHADO_2009[vision] @ linear(painted), 0, 1))


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """Sharma, Wu and Dalal (2005)'s formulation of CIEDE2000, kL = kC = kH = 1."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    C_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    G = 0.5 * (1 - np.sqrt(C_mean**7 / (C_mean**7 + 25**7)))
    a1, a2 = (1 + G) * a1, (1 + G) * a2
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if C1 * C2 == 0 else (h2 - h1 + 180) % 360 - 180
    dL, dC, dH = L2 - L1, C2 - C1, 2 * np.sqrt(C1 * C2) * np.sin(np.radians(dh / 2))
    L_mean, C_mean = (L1 + L2) / 2, (C1 + C2) / 2
    if C1 * C2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    T = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    S_L = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    S_C, S_H = 1 + 0.045 * C_mean, 1 + 0.015 * C_mean * T
    R_C = 2 * np.sqrt(C_mean**7 / (C_mean**7 + 25**7))
    R_T = -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * R_C
    return float(
        np.sqrt((dL / S_L) ** 2 + (dC / S_C) ** 2 + (dH / S_H) ** 2 + R_T * (dC / S_C) * (dH / S_H))
    )


def closest_pair(colours, vision: str, alpha: float) -> tuple[float, tuple[str, str]]:
    return min(
        (ciede2000(seen(p, vision, alpha), seen(q, vision, alpha)), (p, q))
        for p, q in itertools.combinations(colours, 2)
    )


def test_ciede2000_matches_published_test_data():
    # Pairs 1, 7 and 17 of Sharma, Wu and Dalal's table of CIEDE2000 test data.
    assert ciede2000(
        np.array([50.0, 2.6772, -79.7751]), np.array([50.0, 0.0, -82.7485])
    ) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50.0, 0.0, 0.0]), np.array([50.0, -1.0, 2.0])) == pytest.approx(
        2.3669, abs=1e-4
    )
    assert ciede2000(np.array([50.0, 2.5, 0.0]), np.array([73.0, 25.0, -18.0])) == pytest.approx(
        27.1492, abs=1e-4
    )


def test_simulation_collapses_red_and_green_for_a_deuteranope():
    # The test must be able to fail: pure red and green, far apart for normal vision, come
    # close under simulated deuteranopia.
    normal = ciede2000(seen("#ff0000", "normal vision"), seen("#00ff00", "normal vision"))
    deutan = ciede2000(
        seen("#d1242f", "deuteranopia"), seen("#1a7f37", "deuteranopia")
    )  # the old red, green
    assert normal > 50 and deutan < 10


@pytest.mark.parametrize("vision", list(MACHADO_2009))
@pytest.mark.parametrize("n_classes, solid, shaded", [(3, 15.0, 8.0), (5, 10.0, 4.5)])
def test_class_colours_stay_apart(vision, n_classes, solid, shaded):
    colours = CLASS_COLOURS[:n_classes]
    distance, pair = closest_pair(colours, vision, 1.0)
    assert distance >= solid, f"{vision}: {pair} differ by ΔE00 {distance:.1f} < {solid}"
    distance, pair = closest_pair(colours, vision, REGION_ALPHA)
    assert distance >= shaded, f"{vision}, shaded: {pair} differ by ΔE00 {distance:.1f} < {shaded}"


def test_every_class_has_its_own_marker():
    assert len(set(CLASS_MARKERS)) == len(CLASS_MARKERS) == len(CLASS_COLOURS)


def test_class_colours_are_defined_once():
    from nnscratch.figures import regions, training

    assert regions.CLASS_COLOURS is CLASS_COLOURS
    assert not hasattr(training, "MARKERS")
