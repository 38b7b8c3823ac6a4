"""Build resources/admin_units/admin_units.json from a release of `vietnam-provinces` that
carries the 2025 two-tier units, the pre-2025 three-tier units and the official old -> new
conversion table (2026.x and later).

Those releases need Python >= 3.12 to install, while the app supports 3.11, so the data is
extracted once into a resource file instead of imported at run time. Both schemes come from the
same release so every succession row points at a unit that exists (the 2025.10 release numbered
114 new communes differently from the conversion table):

    pip download --no-deps --python-version 3.12 --only-binary=:all: -d /tmp/vp vietnam-provinces
    cd /tmp/vp && unzip -o vietnam_provinces-*.whl
    PYTHONPATH=/tmp/vp python -m da8desktop.devtools.admin_units

Only plain data modules are read (legacy/_lookup.py, _ward_conversion_2025.py,
_province_conversion_2025.py, data/nested-divisions.json); they import under 3.11. The data
stays GPL-3.0-or-later, hence the project's licence.
"""

from __future__ import annotations

import json
from pathlib import Path

from da8desktop.core.paths import resource_path


def build() -> dict:
    import vietnam_provinces
    from vietnam_provinces import _province_conversion_2025 as provinces_2025
    from vietnam_provinces import _ward_conversion_2025 as wards_2025
    from vietnam_provinces.legacy import _lookup as legacy

    nested = json.loads((Path(vietnam_provinces.__file__).parent / "data" /
                         "nested-divisions.json").read_text("utf-8"))
    return {
        "current_provinces": [[p["code"], p["name"], p["division_type"]] for p in nested],
        "current_communes": [[w["code"], w["name"], w["division_type"], p["code"]]
                             for p in nested for w in p["wards"]],
        "source": f"vietnam-provinces {vietnam_provinces.__version__} (GPL-3.0-or-later), "
                  f"{wards_2025.SOURCE}",
        "effective": wards_2025.EFFECTIVE_DATE,
        "provinces": [[int(p.code), p.name, str(p.division_type.value)]
                      for p in legacy.PROVINCE_MAPPING.values()],
        "districts": [[int(d.code), d.name, str(d.division_type.value), int(d.province_code)]
                      for d in legacy.DISTRICT_MAPPING.values()],
        "communes": [[int(w.code), w.name, str(w.division_type.value), int(w.district_code)]
                     for w in legacy.WARD_MAPPING.values()],
        # old commune code -> new commune codes (several: the old commune was split)
        "commune_succession": [[code, [n.code for n in entry.new_wards]]
                               for code, entry in sorted(wards_2025.OLD_TO_NEW.items())],
        "province_succession": [[code, [n.code for n in entry.new_provinces]]
                                for code, entry in sorted(provinces_2025.OLD_TO_NEW.items())],
    }


if __name__ == "__main__":
    target = resource_path("admin_units", "admin_units.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = build()
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(target, len(data["communes"]), "old communes,", len(data["commune_succession"]), "successions")
