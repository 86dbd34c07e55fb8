"""The demo content that `manage.py load_demo` loads.

The first release is the press office's real one, read from the copy of the
seed file beside this module (see seed.py); the rest is written for the demo
so that every public page has something to show. Times are Baku time.
"""

PRESS_DEPARTMENT = "press-and-public-relations"
INTERNATIONAL_DEPARTMENT = "international-relations"

DEPARTMENTS = [
    {
        "slug": PRESS_DEPARTMENT,
        "name": "Press and Public Relations Department",
        "signature": "SCC Press and Public Relations Department",
        "description": "Informs the public and the media about the work of the State Customs Committee.",
        "email": "press@customs.example.az",
        "phone": "+994 12 404 00 00",
        "media_contact_name": "Aysel Mammadova",
        "media_contact_email": "media@customs.example.az",
        "media_contact_phone": "+994 12 404 00 01",
    },
    {
        "slug": INTERNATIONAL_DEPARTMENT,
        "name": "International Relations Department",
        "signature": "SCC International Relations Department",
        "description": "Represents Azerbaijan Customs in international organizations and bilateral cooperation.",
        "email": "international@customs.example.az",
        "phone": "+994 12 404 00 10",
    },
]

POLICY_COMMISSION = "88th-session-wco-policy-commission"
COUNCIL = "141st-142nd-session-customs-cooperation-council"
WORKING_GROUP = "middle-corridor-transit-working-group-2027"

EVENTS = [
    {
        "slug": POLICY_COMMISSION,
        "title": "88th session of the WCO Policy Commission",
        "organizer": "World Customs Organization",
        "venue": "WCO headquarters",
        "city": "Brussels",
        "country": "Belgium",
        "start_date": "2023-06-19",
        "end_date": None,
        "description": "The Policy Commission of the World Customs Organization discusses the strategic "
        "questions of the organization before the Customs Cooperation Council.",
    },
    {
        "slug": COUNCIL,
        "title": "141st/142nd Session of the Customs Cooperation Council",
        "organizer": "World Customs Organization",
        "venue": "WCO headquarters",
        "city": "Brussels",
        "country": "Belgium",
        "start_date": "2023-06-22",
        "end_date": "2023-06-24",
        "description": "The annual session of the Council, the governing body of the World Customs Organization.",
    },
    {
        "slug": WORKING_GROUP,
        "title": "Working group on transit customs procedures along the Middle Corridor",
        "organizer": "State Customs Committee of the Republic of Azerbaijan",
        "venue": "State Customs Committee",
        "city": "Baku",
        "country": "Azerbaijan",
        "start_date": "2027-04-14",
        "end_date": "2027-04-15",
        "description": "Heads of the customs services of the region meet to simplify transit procedures "
        "along the Middle Corridor.",
    },
]

CHAIRMAN = {
    "head_name": "Shahin Baghirov",
    "head_position": "Chairman of the State Customs Committee",
    "head_rank": "lieutenant-general of the customs service",
}

DELEGATIONS = [
    {"key": "policy-commission", "event": POLICY_COMMISSION, **CHAIRMAN, "members": []},
    {
        "key": "council",
        "event": COUNCIL,
        **CHAIRMAN,
        "members": [
            {"name": "Rauf Aliyev", "position": "Head of the International Relations Department"},
            {"name": "Leyla Hasanova", "position": "Chief adviser, International Relations Department"},
        ],
    },
]

# The seed release is built from the seed file (see seed.py); the file has no
# summary, so its lead is written here.
SEED_LEAD = (
    "The delegation led by Chairman Shahin Baghirov takes part in the 88th session of the WCO Policy "
    "Commission in Brussels."
)
SEED_TAGS = [
    "WCO",
    "Policy Commission",
    "Green Customs",
    "Fragile Borders",
    "Technology and Innovation",
    "Middle Corridor",
]

RELEASES = [
    {
        "slug": "azerbaijan-customs-at-the-customs-cooperation-council",
        "title": "Azerbaijan Customs takes part in the 141st/142nd Session of the Customs Cooperation Council",
        "lead": "The delegation led by Chairman Shahin Baghirov attended the annual session of the WCO's "
        "governing body in Brussels.",
        "body": [
            "The 141st/142nd Session of the Customs Cooperation Council of the World Customs Organization was "
            "held at the headquarters of the organization in Brussels on June 22-24.",
            "The delegation of the State Customs Committee, led by the Chairman, lieutenant-general of the "
            "customs service Shahin Baghirov, took part in the discussions on the WCO Strategic Plan, "
            "Green Customs and the digital transformation of customs services.",
            "On the margins of the session, bilateral meetings were held with the heads of several customs "
            "administrations.",
        ],
        "department": INTERNATIONAL_DEPARTMENT,
        "event": COUNCIL,
        "delegations": ["council"],
        "tags": ["WCO", "Customs Cooperation Council", "Green Customs", "International cooperation"],
        "status": "published",
        "published_at": "2023-06-24 17:30",
    },
    {
        "slug": "electronic-declarations-cut-paper-use",
        "title": "Green Customs: electronic declarations cut paper use at border posts",
        "lead": "Nine in ten goods declarations are now filed electronically, saving millions of sheets of "
        "paper a year.",
        "body": [
            "The share of goods declarations filed electronically has reached ninety per cent, the State Customs "
            "Committee reports.",
            "The move to paperless procedures is part of the Green Customs programme, which was discussed at "
            "the 88th session of the WCO Policy Commission in June.",
        ],
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "tags": ["Green Customs", "Digitalisation"],
        "status": "published",
        "published_at": "2023-07-10 10:00",
    },
    {
        "slug": "transit-procedures-along-the-middle-corridor",
        "title": "Transit procedures along the Middle Corridor discussed in Baku",
        "lead": "Heads of the customs services of the region met in Baku to simplify transit along the "
        "Middle Corridor.",
        "body": [
            "The meeting was held within the framework of the Project for simplifying transit customs procedures "
            "along the Middle Corridor, initiated and organized by the Azerbaijan customs service.",
            "The participants agreed to exchange information on transit cargo in advance and to recognize "
            "each other's customs seals.",
        ],
        "department": INTERNATIONAL_DEPARTMENT,
        "event": None,
        "delegations": [],
        "tags": ["Middle Corridor", "Transit", "International cooperation"],
        "status": "published",
        "published_at": "2023-05-30 15:20",
    },
    {
        "slug": "border-posts-around-the-clock-in-the-holidays",
        "title": "Customs posts work around the clock during the holiday season",
        "lead": "All road border crossing points will serve travellers and carriers twenty-four hours a day "
        "from 25 December to 10 January.",
        "body": [
            "To shorten queues during the holiday season, every road border crossing point will work around "
            "the clock from 25 December to 10 January.",
            "Travellers are advised to fill in their declarations electronically before they reach the border.",
        ],
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "tags": ["Border crossings", "Travellers"],
        "status": "published",
        "published_at": "2024-12-20 09:00",
    },
    {
        "slug": "citizen-reception-schedule-march",
        "title": "Schedule of citizen receptions for March",
        "lead": "The heads of the State Customs Committee receive citizens on the days listed below.",
        "body": ["The schedule of receptions has been replaced; please see the updated announcement."],
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "tags": ["Travellers"],
        "status": "withdrawn",
        "published_at": "2025-02-27 12:00",
        "withdrawn_at": "2025-02-28 09:15",
        "withdrawal_reason": "Issued with wrong dates; replaced by the updated schedule.",
    },
    {
        "slug": "middle-corridor-working-group-results",
        "title": "Results of the Middle Corridor working group",
        "lead": "The working group on transit customs procedures agreed on a common electronic transit document.",
        "body": [
            "The working group met in Baku on April 14-15 and agreed on the next steps towards a common "
            "electronic transit document along the Middle Corridor.",
        ],
        "department": INTERNATIONAL_DEPARTMENT,
        "event": WORKING_GROUP,
        "delegations": [],
        "tags": ["Middle Corridor", "Transit"],
        "status": "published",
        "published_at": "2030-04-15 18:00",
    },
    {
        "slug": "annual-customs-revenue-report-draft",
        "title": "Customs revenue for the year: the annual report",
        "lead": "A draft, still being written: the figures are not final.",
        "body": ["The annual report on customs revenue will be published once the figures are final."],
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "tags": ["Customs revenue"],
        "status": "draft",
        "published_at": None,
    },
]
