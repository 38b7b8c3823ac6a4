"""Organisation lines and signers for printed documents, editable per commune: the Women's Union
moved under the Fatherland Front in 2025 and titles are still changing."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AdminUnit, Installation, Setting
from da8desktop.core.text import nfc

KEY = "print:settings"


@dataclass(frozen=True)
class PrintSettings:
    superior_body: str
    issuing_body: str
    place: str
    preparer_title: str = "NGƯỜI LẬP BIỂU"
    preparer_name: str = ""
    signer_heading: str = "TM. BAN CHẤP HÀNH\nCHỦ TỊCH"
    signer_name: str = ""
    confirm_heading: str = "XÁC NHẬN CỦA UBND XÃ"
    show_confirmation: bool = True  # on member lists
    # A sign-in sheet is signed by the participants; the committee's confirmation is added only
    # where the officer's commune asks for it (issue 19, item 8).
    confirm_sign_in: bool = False
    given_name_first: bool = True


def default_settings(db: Database) -> PrintSettings:
    with db.read() as session:
        inst = session.get(Installation, 1)
        unit = session.get(AdminUnit, inst.commune_key or inst.province_key) if inst else None
    name = unit.name if unit else ""
    place = name.split(" ", 1)[1] if " " in name else name
    return PrintSettings(superior_body=f"ỦY BAN MTTQ VIỆT NAM {name.upper()}",
                         issuing_body=f"HỘI LHPN {name.upper()}", place=place)


def load_print_settings(db: Database) -> PrintSettings:
    defaults = default_settings(db)
    with db.read() as session:
        stored = session.get(Setting, KEY)
        values = stored.value if stored is not None else {}
    known = {k: v for k, v in values.items() if k in asdict(defaults)}
    return PrintSettings(**{**asdict(defaults), **known})


def save_print_settings(db: Database, settings: PrintSettings) -> None:
    settings = PrintSettings(**{k: ("\n".join(nfc(line) or "" for line in v.split("\n"))
                                    if isinstance(v, str) else v)
                                for k, v in asdict(settings).items()})
    with db.write() as uow:
        row = uow.session.get(Setting, KEY)
        if row is None:
            uow.session.add(Setting(key=KEY, value=asdict(settings)))
        else:
            row.value = asdict(settings)
        uow.audit("update", None, "print settings", asdict(settings), entity="setting", entity_id=KEY)
