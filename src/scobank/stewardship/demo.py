"""Demo step of stewardship: one steward per member party (with an organisation when the party has
none), a platform administrator, party defaults, and public terms for the real public data loaded by
the demo. Idempotent: run again, it adds nothing twice. Prints how to log in as each."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import policies, users
from scobank.access.reader import OPERATOR
from scobank.access.models import Policy, User
from scobank.catalog import refs
from scobank.catalog.organisations import create_organisation, list_organisations
from scobank.catalog.schemas import OrganisationCreate, OrganisationPublic
from scobank.db import utcnow

PORTAL = "http://127.0.0.1:8000/login"
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@demo.sco-bank.org", "demo-admin-password"

# A national statistics office per member, named in English, Russian and Chinese.
OFFICES = {
    "CHN": ("cn-nbs", "National Bureau of Statistics of China", "Национальное бюро статистики КНР", "国家统计局"),
    "RUS": ("ru-rosstat", "Federal State Statistics Service (Rosstat)", "Федеральная служба государственной статистики (Росстат)", "俄罗斯联邦国家统计局"),
    "KAZ": ("kz-stat", "Bureau of National Statistics of Kazakhstan", "Бюро национальной статистики Казахстана", "哈萨克斯坦国家统计局"),
    "KGZ": ("kg-stat", "National Statistical Committee of the Kyrgyz Republic", "Национальный статистический комитет Кыргызской Республики", "吉尔吉斯共和国国家统计委员会"),
    "TJK": ("tj-stat", "Agency on Statistics under the President of Tajikistan", "Агентство по статистике при Президенте Республики Таджикистан", "塔吉克斯坦总统直属统计署"),
    "UZB": ("uz-stat", "National Statistics Committee of Uzbekistan", "Национальный комитет по статистике Узбекистана", "乌兹别克斯坦国家统计委员会"),
    "IND": ("in-mospi", "Ministry of Statistics and Programme Implementation of India", "Министерство статистики и реализации программ Индии", "印度统计和计划执行部"),
    "PAK": ("pk-pbs", "Pakistan Bureau of Statistics", "Бюро статистики Пакистана", "巴基斯坦统计局"),
    "IRN": ("ir-sci", "Statistical Centre of Iran", "Статистический центр Ирана", "伊朗统计中心"),
    "BLR": ("by-belstat", "National Statistical Committee of Belarus (Belstat)", "Национальный статистический комитет Беларуси (Белстат)", "白俄罗斯国家统计委员会"),
}


def steward_login(iso3: str) -> tuple[str, str]:
    """The demo steward's e-mail and password for party `iso3` (demo only: known on purpose)."""
    return f"steward.{iso3.lower()}@demo.sco-bank.org", f"demo-{iso3.lower()}-steward"


def _organisation(session: Session, iso3: str) -> OrganisationPublic:
    found = list_organisations(session, party=iso3)  # by slug
    if found:
        return found[0]
    slug, en, ru, zh = OFFICES.get(iso3, (f"{iso3.lower()}-stat", f"Statistics office of {iso3}", None, None))
    names = {k: v for k, v in {"en": en, "ru": ru, "zh": zh}.items() if v}
    org = create_organisation(session, data=OrganisationCreate(slug=slug, party=iso3, names=names), actor=OPERATOR)
    return OrganisationPublic(slug=org.slug, party=org.party, names=org.names, created_at=org.created_at)


def _user(session: Session, email: str, **fields) -> bool:
    if session.scalars(select(User.id).where(User.email == email)).first() is not None:
        return False
    users.create_user(session, email=email, **fields)
    return True


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """Add stewards, an administrator, party defaults and public terms for the demo's data."""
    from scobank.reference.lookup import party_statuses

    members = sorted(iso3 for iso3, status in party_statuses(session, on=utcnow().date()).items()
                     if status == "member")
    lines = ["", "Accounts (demo passwords; change them before real use):",
             f"  platform administrator  {ADMIN_EMAIL:42} {ADMIN_PASSWORD}"]
    first_run = _user(session, ADMIN_EMAIL, organisation=None, role="platform-admin", password=ADMIN_PASSWORD,
                      name="Demo administrator")
    if first_run:  # later runs leave alone what stewards published since
        lines += _public_terms(session)
    for iso3 in members:
        org = _organisation(session, iso3)
        email, password = steward_login(iso3)
        _user(session, email, organisation=org.slug, role="steward", password=password,
              name=f"Data steward ({iso3})")
        if session.scalars(select(Policy.id).where(Policy.party == iso3)).first() is None:
            policies.set_party_default(session, party=iso3, document={"audience": "members"}, actor=ADMIN_EMAIL)
        lines.append(f"  steward of {iso3} ({org.slug}){'':<{max(0, 16 - len(org.slug))}} {email:42} {password}")
    lines.append(f"Log in at {PORTAL} (or the port you chose), or get an API token: "
                 "scobank tokens create EMAIL --json")
    return lines


def _public_terms(session: Session) -> list[str]:
    """The real public data loaded by the demo (no policy of its own yet) is published as public."""
    have_policy = set(session.scalars(select(Policy.dataset_id).where(Policy.dataset_id.is_not(None))))
    slugs = refs.slugs_by_id(session)
    open_data = sorted((i for i in slugs if i not in have_policy), key=slugs.__getitem__)
    for dataset_id in open_data:
        policies.set_dataset_policy(session, dataset=refs.ref_by_id(session, dataset_id),
                                    document={"audience": "public"}, actor=ADMIN_EMAIL)
    return [f"  {len(open_data)} public dataset(s) of the demo opened to everyone"] if open_data else []
