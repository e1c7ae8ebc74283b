"""The glossary as its seed text states it: the table the fidelity tests assert against.

Written from ``glossary-of-engagement-terminology.txt`` (Co-production Network for Wales,
version 1.5, August 2022) without reading the vocabulary, so that the tests are an
independent witness. Data only: every string below is copied verbatim from the seed
(``test_table_texts_are_seed_text`` checks that). The seed itself is the text fixture
``seed.txt`` beside this module, read at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

CONCEPTS: Final = "https://w3id.org/engagement-glossary/concepts/"
COLLECTIONS: Final = "https://w3id.org/engagement-glossary/collections/"
SCHEME: Final = "https://w3id.org/engagement-glossary/schemes/engagement-glossary"


@dataclass(frozen=True)
class Distinction:
    """An "It's not X because: R" statement: ``target`` is X's slug.

    ``reason`` is the verbatim R where the seed has that form; for a distinction the seed
    makes in prose, ``reason`` is ``None`` and the reason must contain one of ``anchors``.
    """

    target: str
    reason: str | None = None
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A ``dct:source`` the concept must cite: every regex in ``patterns`` must match it."""

    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One term of the glossary, as the seed states it.

    ``definitions``: texts each of which must begin a ``skos:definition`` of the concept.
    ``scope``: paragraphs whose every sentence must be in a definition or scope note.
    ``mentions``: paragraphs whose every sentence must be in some literal of the concept
    (its notes, examples, criteria, or a distinction's reason).
    Any ``skos:definition`` must be a passage of ``definitions``, ``scope`` or ``mentions``.
    ``see_also``: the addresses the seed gives for the term itself (``rdfs:seeAlso``).
    ``named_only``: the seed names the term but defines nothing, so no ``skos:definition``.
    ``slug_fixed``: ``False`` when the slug was not given to the modeller; the concept is
    then found by its preferred label (ignoring a leading "The ").
    """

    slug: str
    pref_label: str
    alt_labels: frozenset[str] = frozenset()
    definitions: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    examples: frozenset[str] = frozenset()
    criteria: tuple[str, ...] = ()
    criterion_list: tuple[str, ...] = ()
    stance: str | None = None
    roles: tuple[str, ...] = ()
    distinctions: tuple[Distinction, ...] = ()
    broader: frozenset[str] = frozenset()
    broader_partitive: frozenset[str] = frozenset()
    related: frozenset[str] = frozenset()
    sources: tuple[Source, ...] = ()
    see_also: frozenset[str] = frozenset()
    named_only: bool = False
    slug_fixed: bool = True


@dataclass(frozen=True)
class CollectionSpec:
    """A collection: ``slug`` is ``None`` when not fixed (found by its members)."""

    slug: str | None
    members: tuple[str, ...]
    ordered: bool


def _concept_set(*slugs: str) -> frozenset[str]:
    return frozenset(slugs)


# --- The engagement spectrum (the diagram under "Engagement as a spectrum") -------------
# Columns that the diagram shares between two approaches give both the same stance and
# examples. The roles rows span the three groups: doing to, doing for, doing with.
STANCE_COERCION_PROTECTION: Final = "We have a duty to act to ensure people's safety."
STANCE_EDUCATION_PERSUASION: Final = "We know what people need to do, we need to get them to do it."
STANCE_INFORMATION: Final = "We provide information where /when /how people need it."
STANCE_CONSULTATION: Final = "We decide what questions to ask, & collect data to inform decisions."
STANCE_PARTICIPATION: Final = (
    "We listen to people's lived experience, to inform our thinking and decisions."
)
STANCE_DOING_WITH: Final = (
    "We listen to people's experience and share ours. There is equal power in our decision"
    " making. We value different experiences."
)
EXAMPLES_COERCION_PROTECTION: Final = frozenset({"criminal justice", "safeguarding"})
EXAMPLES_EDUCATION_PERSUASION: Final = frozenset({"smoking cessation programmes"})
EXAMPLES_DOING_WITH: Final = frozenset({"person-centred care", "shared decision making"})

# The five values, in the seed's order ("How we know it's co-production").
VALUE_LINES: Final = (
    "Valuing all participants, and building on their strengths.",
    "Working in networks and across silos.",
    "Doing what matters for all the people involved (outcomes focus).",
    "Building trusted relationships and sharing power.",
    "Enabling people to be change makers.",
)
# "For example, you could carry out a consultation by sending out a survey, and still:" (the
# list's closing full stop is not part of its last item).
CO_PRODUCTIVE_APPROACH_EXAMPLE: Final = (
    "working with colleagues in other teams or other organisations using the 5 values will lead"
    " to solid collaborative relationships and effective working practices. While this isn't"
    " co-production, it offers multiple benefits, not least a shift in power dynamics towards"
    " greater contribution, buy-in, commitment, shared ownership, and more."
)
SURVEY_BULLETS: Final = (
    "value all participants, by ensuring you are asking meaningful questions in a range of"
    " accessible ways",
    "work in networks, to reach the people who wouldn't otherwise participate",
    "focus on outcomes, by recognising and acknowledging people's motivation to take part",
    "build trust in the relationship, by closing the communication loop and reporting back on"
    " results",
    "enable people to see their contribution to any changes",
)

SPECTRUM: Final = (
    "coercion",
    "protection",
    "education",
    "persuasion",
    "information",
    "consultation",
    "participation",
    "co-production",
    "involvement",
)
VALUES: Final = (
    "valuing-all-participants",
    "working-in-networks",
    "outcomes-focus",
    "building-trusted-relationships",
    "enabling-people-to-be-change-makers",
)
# In the order the seed names them: "a **collaborative** and **integrated** approach in
# order to **involve** people effectively; ... a **preventative** and **long-term** view".
WAYS_OF_WORKING: Final = ("collaborative", "integrated", "involvement", "preventative", "long-term")
CYCLE: Final = ("co-planning", "co-design", "co-decision-making", "co-delivery", "co-evaluation")

# "For example: asset based community development, ..." in the seed's order; "participatory
# research" is an alternative label of co-productive research, not a concept of its own.
APPROACHES: Final = (
    ("asset-based-community-development", "asset based community development", ()),
    ("asset-based-service-design", "asset based service design", ()),
    ("asset-based-approaches", "asset based approaches", ("strengths based approaches",)),
    (
        "psychologically-informed-approaches",
        "psychologically informed approaches",
        ("trauma informed approaches",),
    ),
    ("person-centred-approaches", "person-centred approaches", ()),
    ("relational-approaches", "relational approaches", ("relationship-centred approaches",)),
    ("appreciative-approaches", "appreciative approaches", ()),
    ("appreciative-inquiry", "appreciative inquiry", ()),
    ("design-justice", "design justice", ()),
    ("human-rights-based-work", "human rights based work", ()),
    ("childrens-rights-based-work", "children's rights based work", ()),
    ("local-area-coordination", "Local Area Coordination", ()),
    ("citizens-assemblies", "citizens assemblies", ()),
    ("community-based-participatory-design", "community-based participatory design", ()),
    ("participatory-budgeting", "participatory budgeting", ()),
    (
        "participative-public-engagement",
        "participative public engagement",
        ("deliberative public engagement",),
    ),
    ("design-charrettes", "design charrettes", ()),
    ("forum-theatre", "forum theatre", ()),
    ("developmental-evaluation", "developmental evaluation", ()),
    ("outcomes-based-commissioning", "outcomes based commissioning", ()),
    ("innovation-approaches", "innovation approaches", ()),
    ("systems-thinking", "systems thinking", ("system change",)),
)

_SPECTRUM_TERMS: Final = (
    Term(
        slug="engagement",
        pref_label="engagement",
        definitions=(
            "an interaction between public services and their service users or members of"
            " the public.",
            "Engagement is the generic term which refers to the entire range of possible"
            " interactions between an organisation and the people who access, benefit from,"
            " or have an interest in its activities, services and/or policies.",
        ),
        scope=(
            "Engagement is the generic term which refers to the entire range of possible"
            " interactions between an organisation and the people who access, benefit from,"
            " or have an interest in its activities, services and/or policies. This will"
            " include professionals in organisations as well as service users and members of"
            " the public.",
        ),
    ),
    Term(
        slug="doing-to",
        pref_label="doing to",
        roles=(
            "The organisation has the knowledge.",
            "The organisation makes the decisions.",
            "The organisation enforces the decisions.",
        ),
        broader=_concept_set("engagement"),
        named_only=True,
    ),
    Term(
        slug="doing-for",
        pref_label="doing for",
        roles=(
            "The organisation listens to people's knowledge.",
            "The organisation makes the decisions.",
            "The organisation enacts the decisions.",
        ),
        broader=_concept_set("engagement"),
        named_only=True,
    ),
    Term(
        slug="doing-with",
        pref_label="doing with",
        roles=(
            "The organisation and the people listen to each other's knowledge.",
            "The organisation and the people make decisions together.",
            "The organisation and the people both take actions on the decisions.",
        ),
        broader=_concept_set("engagement"),
        named_only=True,
    ),
    Term(
        slug="coercion",
        pref_label="coercion",
        stance=STANCE_COERCION_PROTECTION,
        examples=EXAMPLES_COERCION_PROTECTION,
        broader=_concept_set("doing-to"),
        named_only=True,
    ),
    Term(
        slug="protection",
        pref_label="protection",
        stance=STANCE_COERCION_PROTECTION,
        examples=EXAMPLES_COERCION_PROTECTION,
        broader=_concept_set("doing-to"),
        named_only=True,
    ),
    Term(
        slug="education",
        pref_label="education",
        stance=STANCE_EDUCATION_PERSUASION,
        examples=EXAMPLES_EDUCATION_PERSUASION,
        broader=_concept_set("doing-to"),
        named_only=True,
    ),
    Term(
        slug="persuasion",
        pref_label="persuasion",
        stance=STANCE_EDUCATION_PERSUASION,
        examples=EXAMPLES_EDUCATION_PERSUASION,
        broader=_concept_set("doing-to"),
        named_only=True,
    ),
    Term(
        slug="information",
        pref_label="information",
        definitions=("Providing the public with balanced and objective information.",),
        scope=(
            "Providing the public with balanced and objective information. In the context of"
            " policy or public services, the aim is to enable people to understand a service,"
            " a problem, changes, decisions, etc.",
        ),
        examples=frozenset(
            {
                "Council website info on bin collections",
                "news",
                "public announcements",
                "budget information when approved for disclosure",
                "publications when approved for release",
            }
        ),
        criteria=("communication goes one way (from organisation to citizens).",),
        stance=STANCE_INFORMATION,
        distinctions=(
            Distinction(
                "consultation",
                "information is disseminated but responses are not invited.",
            ),
        ),
        broader=_concept_set("doing-for"),
    ),
    Term(
        slug="consultation",
        pref_label="consultation",
        definitions=(
            "A formal process by which policy makers and service providers ask for the views"
            " of interested groups and individuals.",
        ),
        scope=(
            "A formal process by which policy makers and service providers ask for the views"
            " of interested groups and individuals. Consultation documents usually include"
            " information, about which feedback is being requested.",
        ),
        examples=frozenset(
            {
                "surveys",
                "urban planning",
                "FixMyStreet",
                "Council surveys about budgets allocation",
                "government policy consultations",
                "inviting online comments on draft plans",
            }
        ),
        criteria=(
            "the organisation determines the questions, publishes them for a fixed time"
            " period, and gathers the results to analyse and feed into decision-making.",
        ),
        stance=STANCE_CONSULTATION,
        distinctions=(
            Distinction("information", "responses and feedback are sought."),
            Distinction("participation", "it's not a two-way conversation."),
        ),
        broader=_concept_set("doing-for"),
    ),
    Term(
        slug="participation",
        pref_label="participation",
        definitions=(
            "People being actively involved with policy makers and service planners from an"
            " early stage of policy and service planning and review, to shape and influence"
            " the outcomes and decisions.",
        ),
        examples=frozenset(
            {
                "drop-in events",
                "focus groups",
                "drop-in events about infrastructure developments",
                "workshops or focus groups about proposed changes",
            }
        ),
        criteria=(
            "the organisation engages in a conversation (which could be in person, digital,"
            " asynchronous, etc.) with citizens to gather and understand their views on a"
            " topic. This informs the organisation's thinking and decisions.",
        ),
        stance=STANCE_PARTICIPATION,
        distinctions=(
            Distinction(
                "consultation",
                "the questions, and the format / method, are less narrow and specific.",
            ),
            Distinction(
                "co-production",
                "it doesn't require shared power or shared decision-making.",
            ),
        ),
        broader=_concept_set("doing-for"),
    ),
    Term(
        slug="co-production",
        pref_label="co-production",
        definitions=(
            "In the context of public services, co-production is an asset-based approach that"
            " enables people providing and people receiving services to share power and"
            " responsibility, and to work together in equal, reciprocal and caring"
            " relationships.",
        ),
        scope=(
            "In the context of public services, co-production is an asset-based approach that"
            " enables people providing and people receiving services to share power and"
            " responsibility, and to work together in equal, reciprocal and caring"
            " relationships. It enables people to access relevant and meaningful support when"
            " they need it; services to be effective and make a positive difference in"
            " people's lives; and people, services and communities to become more effective"
            " agents of change.",
            "Co-production is a specific kind of community engagement, which represents a"
            " transition from doing things 'to' and 'for' people, to doing things 'with'"
            " people. It is explicitly referenced in the Social Services and Wellbeing (Wales)"
            " Act 2014.",
        ),
        mentions=(
            "It is like involvement (in the Welsh policy context).",
            'In other sectors like arts, media and retail the term "co-production" holds'
            " significantly different meanings.",
        ),
        examples=EXAMPLES_DOING_WITH,
        criteria=("it's a mindset and way of working underpinned by the following 5 values",),
        criterion_list=VALUE_LINES,
        stance=STANCE_DOING_WITH,
        distinctions=(
            Distinction("participation", "there is shared power and shared decision-making."),
            # Adapted: a prose distinction the seed makes ("Co-production and the margins").
            Distinction(
                "qualitative-research", anchors=("Co-production isn't qualitative research",)
            ),
        ),
        broader=_concept_set("doing-with", "community-engagement", "involvement"),
    ),
    Term(
        slug="involvement",
        pref_label="involvement",
        scope=(
            "Involvement is one of the 5 ways of working enshrined within the Well-being of"
            " Future Generations (Wales) Act 2015, which highlights 'the importance of"
            " involving people with an interest in achieving the well-being goals, and"
            " ensuring that those people reflect the diversity of the area which the body"
            " serves.'",
        ),
        mentions=(
            "This description is quite broad: it can be interpreted to mean stakeholders and"
            " not necessarily citizens. However the guidance from the Office of the Future"
            ' Generations Commissioner for Wales states: "Involvement requires organisations'
            " to be open to influence from citizens and stakeholders, moving to a culture of"
            " 'working with' rather than 'doing to'. In contrast to consultation, involvement"
            " approaches work with people at earlier stages, such as helping to identify"
            " issues and potential solutions, and being supported to remain involved right"
            ' throughout design, implementation and evaluation processes."',
            "Involvement covers citizen engagement as well as stakeholder engagement.",
            "For citizen engagement, involvement is synonymous with co-production in the"
            " Welsh policy context.",
            "This use of the term involvement is specific to the Wales public service context."
            " Other sectors and public services in other countries have their own definitions"
            " of involvement. There are similarities but also crucial differences, so clarity"
            " of definitions matters!",
        ),
        examples=EXAMPLES_DOING_WITH,
        stance=STANCE_DOING_WITH,
        distinctions=(
            Distinction(
                "co-production",
                anchors=(
                    "Not all involvement is co-production",
                    "your audience or end users might be other organisations or professionals",
                ),
            ),
        ),
        broader=_concept_set("doing-with"),
        related=_concept_set("community-engagement", "stakeholder-engagement"),
        sources=(Source((r"Future Generations Commissioner",)),),
    ),
)

_KINDS_OF_ENGAGEMENT: Final = (
    Term(
        slug="stakeholder-engagement",
        pref_label="stakeholder engagement",
        definitions=(
            "Stakeholder engagement generally refers to interactions with organisations and"
            " professional bodies, who have an interest in, or influence over, an"
            " organisation's activities.",
        ),
        scope=(
            "Stakeholder engagement generally refers to interactions with organisations and"
            " professional bodies, who have an interest in, or influence over, an"
            " organisation's activities. Other statutory organisations, public bodies, Members"
            " of the Senedd and of Parliament, voluntary organisations and interest groups, may"
            " all have something to say about an organisation's proposed course of action."
            " They may need to be kept informed, be invited to share their views and"
            " recommendations, or be part of collaborative relationships and partnership"
            " working. Even though technically the public has an interest (i.e. a stake) in an"
            " organisation's decisions, in current use they don't tend to be included within"
            ' the term "stakeholder engagement".',
        ),
        # "Voluntary (third) sector organisations ... straddle both categories of engagement"
        broader=_concept_set("engagement"),
    ),
    Term(
        slug="community-engagement",
        pref_label="community engagement",
        alt_labels=frozenset({"public engagement", "citizen engagement"}),
        definitions=(
            "Community engagement (also referred to as public or citizen engagement) refers to"
            " interactions with people who may be variously referred to as service users,"
            " citizens, customers, patients, community members, people we support, the"
            " public, etc. - depending on the cultural norms in the sector of activity.",
        ),
        scope=(
            "Community engagement (also referred to as public or citizen engagement) refers to"
            " interactions with people who may be variously referred to as service users,"
            " citizens, customers, patients, community members, people we support, the"
            " public, etc. - depending on the cultural norms in the sector of activity."
            " Whatever the term used, their key defining characteristic is that they are"
            " connected to the organisation as non-professionals, usually as users of a"
            " service provided by the organisation, or otherwise as members of the broader"
            " public. This means that they are less interested in the inner processes of the"
            " organisation, and more so in the effect that these would have in their lives.",
        ),
        broader=_concept_set("engagement"),
    ),
)

_WAYS_AND_VALUES: Final = (
    Term(slug="collaborative", pref_label="collaborative", named_only=True),
    Term(slug="integrated", pref_label="integrated", named_only=True),
    Term(slug="preventative", pref_label="preventative", named_only=True),
    Term(slug="long-term", pref_label="long-term", named_only=True),
    # Adapted: the modeller's preferred labels are the whole value lines of the seed (as the
    # brief gave for outcomes-focus); each value line is also said of its concept.
    Term(
        slug="valuing-all-participants",
        pref_label="valuing all participants, and building on their strengths",
        mentions=(VALUE_LINES[0],),
        related=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="working-in-networks",
        pref_label="working in networks and across silos",
        mentions=(VALUE_LINES[1],),
        related=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="outcomes-focus",
        pref_label="doing what matters for all the people involved",
        alt_labels=frozenset({"outcomes focus"}),
        mentions=(VALUE_LINES[2],),
        related=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="building-trusted-relationships",
        pref_label="building trusted relationships and sharing power",
        mentions=(VALUE_LINES[3],),
        related=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="enabling-people-to-be-change-makers",
        pref_label="enabling people to be change makers",
        mentions=(VALUE_LINES[4],),
        related=_concept_set("co-production"),
        named_only=True,
    ),
)

_CO_DESIGN_AND_CYCLE: Final = (
    Term(
        slug="co-design",
        pref_label="co-design",
        definitions=(
            "Co-design sees the design decisions forming part of any given service or project"
            " made 'with', not 'for', the people those decisions will ultimately impact upon.",
        ),
        scope=(
            "Co-design is a design-led process that uses creative participatory methods. There"
            " is no one-size-fits-all approach nor a set of check-lists to follow. Instead,"
            " there are a series of patterns and principles that can be applied in different"
            " ways with different people. Co-designers make decisions, not just suggestions.",
        ),
        mentions=(
            "Co-design is a component part of a co-production process, but co-design alone"
            " isn't co-production.",
        ),
        distinctions=(
            Distinction("co-production", anchors=("co-design alone isn't co-production",)),
        ),
        broader=_concept_set("co-production"),
        broader_partitive=_concept_set("co-production"),
        sources=(
            Source((r"thedesigndivide\.com/design-terms",)),
            Source((r"beyondstickynotes\.com/what-is-codesign",)),
        ),
    ),
    # "A complete co-production process is a cycle that includes co-planning (which might be
    # co-creating or co-commissioning, depending on context), co-design and co-decision
    # making, co-delivery (or co-implementation), and co-evaluation."
    Term(
        slug="co-planning",
        pref_label="co-planning",
        alt_labels=frozenset({"co-creation", "co-commissioning"}),
        broader=_concept_set("co-production"),
        broader_partitive=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="co-decision-making",
        pref_label="co-decision making",
        broader=_concept_set("co-production"),
        broader_partitive=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="co-delivery",
        pref_label="co-delivery",
        alt_labels=frozenset({"co-implementation"}),
        broader=_concept_set("co-production"),
        broader_partitive=_concept_set("co-production"),
        named_only=True,
    ),
    Term(
        slug="co-evaluation",
        pref_label="co-evaluation",
        broader=_concept_set("co-production"),
        broader_partitive=_concept_set("co-production"),
        named_only=True,
    ),
)

_APPROACH_TERMS: Final = tuple(
    Term(
        slug=slug,
        pref_label=pref,
        alt_labels=frozenset(alts),
        related=_concept_set("co-production"),
        named_only=True,
    )
    for slug, pref, alts in APPROACHES
)

_RESEARCH_AND_MARGINS: Final = (
    Term(
        slug="co-productive-approaches",
        pref_label="co-productive approaches",
        mentions=(
            "It is worth making the distinction between co-production (as described in the"
            " previous pages) and co-productive approaches, which may lack some of the"
            " elements of co-production but are built on the same values.",
            "Projects and programmes that are not co-production (for lack of citizen or"
            " service user involvement) might still adopt a co-productive approach, i.e."
            " embrace the values of co-production.",
            # Adapted: kept as a skos:example, without its "For example, " lead-in.
            CO_PRODUCTIVE_APPROACH_EXAMPLE,
            "You can apply the values of co-production, and take a co-productive approach, to"
            " just about anything. For example, you could carry out a consultation by sending"
            " out a survey, and still:",
        ),
        # Adapted: the modeller's reading, faithful to the seed: the paragraph's example and
        # the survey bullets are examples, the "not co-production" sentence a distinction,
        # and the approaches are related to co-production.
        examples=frozenset({CO_PRODUCTIVE_APPROACH_EXAMPLE, *SURVEY_BULLETS}),
        distinctions=(
            Distinction(
                "co-production", anchors=("for lack of citizen or service user involvement",)
            ),
        ),
        related=_concept_set("co-production"),
    ),
    Term(
        slug="qualitative-research",
        pref_label="qualitative research",
        mentions=(
            "Conducting qualitative research with citizens who have lived experience of an"
            " issue, through interviews, focus groups, ethnography, observations, or"
            " qualitative surveys, does not in itself constitute co-production (even though the"
            " techniques used can sometimes look the same as those used in co-production"
            " approaches). There is little to no sharing of power when the expertise and"
            " decision-making sit with commissioners and researchers. Qualitative research"
            " isn't co-production... unless you're doing co-productive research.",
        ),
        distinctions=(
            Distinction(
                "co-production",
                anchors=(
                    "does not in itself constitute co-production",
                    "little to no sharing of power",
                    "Qualitative research isn't co-production",
                ),
            ),
        ),
    ),
    Term(
        slug="co-productive-research",
        pref_label="co-productive research",
        alt_labels=frozenset(
            {
                "co-productive approach to research",
                "public involvement in research",
                "peer research",
                "community research",
                "participatory research",
            }
        ),
        definitions=(
            "A co-productive approach to research, or public involvement in research, is"
            " research being carried out 'with' or 'by' citizens instead of 'to', 'about' or"
            " 'for' them.",
        ),
        scope=(
            "A co-productive approach to research, or public involvement in research, is"
            " research being carried out 'with' or 'by' citizens instead of 'to', 'about' or"
            " 'for' them. This is based on the belief that people affected by the topic of the"
            " research and the knowledge generated by the research are best placed to design,"
            " deliver and analyse it, and have knowledge and skills that are valuable to the"
            " research. Citizens are involved as equals in all aspects of the research. The"
            " activities might include working alongside designers or researchers to decide"
            " which research projects to prioritise, shape the research goals and questions,"
            " develop research materials, conduct interviews, collect and analyse the data,"
            " draw out insights from the data,... and being credited as part of the team in"
            " the published results.",
            "Co-producing a research project is an approach in which researchers,"
            " practitioners and the public work together, sharing power and responsibility"
            " from the start to the end of the project, including the generation of"
            " knowledge.",
        ),
        mentions=(
            "A co-productive approach to research can sometimes be referred to as peer"
            " research, community research or participatory research. It may be a standalone"
            " approach to carrying out research in an academic institution or research"
            " organisations; or it can be a useful element during different phases of"
            " co-production (for example, during co-design when trying to explore issues"
            " before designing solutions, or during co-evaluation when trying to find out what"
            " has worked and what hasn't).",
        ),
        sources=(Source((r"NIHR", r"INVOLVE", r"2018")),),
        # Adapted: "a co-productive approach to research" is one of the co-productive
        # approaches; as "participatory research" it is among the approaches sharing
        # co-production's values, so related to co-production like them.
        broader=_concept_set("co-productive-approaches"),
        related=_concept_set("co-production"),
    ),
    Term(
        slug="public-engagement-in-research",
        pref_label="public engagement in research",
        definitions=(
            "Whilst there isn't one agreed definition, this usually involves an academic"
            " institution sharing research knowledge with communities that are local to them"
            " or communities that they have researched.",
        ),
        mentions=(
            # Adapted: the modeller gives the NCCPE's words as a definition and the NCCPE as
            # its dct:source, dropping the lead-in "The National Co-ordinating Centre for
            # Public Engagement (NCCPE) define public engagement as:".
            "the myriad of ways in which the activity and benefits of higher education and"
            " research can be shared with the public. Engagement is by definition a two-way"
            " process, involving interaction and listening, with the goal of generating mutual"
            " benefit.",
            "Whilst there are many benefits to this way of working, it cannot be considered a"
            " co-productive research approach because citizens are not involved from the"
            " start to the end of the research process.",
        ),
        examples=frozenset(
            {
                "science festivals open to the public to join discussions about the research",
                "engaging with local schools to share research findings from a study in their"
                " community",
            }
        ),
        distinctions=(
            Distinction(
                "co-productive-research",
                anchors=(
                    "citizens are not involved from the start to the end of the research process",
                ),
            ),
        ),
        sources=(Source((r"NCCPE|National Co-ordinating Centre for Public Engagement",)),),
    ),
    Term(
        slug="building-knowledge",
        pref_label="building knowledge",
        mentions=(
            "With qualitative research, you're generally trying to build a complete picture of"
            " a situation. Your sampling is important, because while you may not reach"
            " everybody in your target audience, you must make sure that your sample is"
            " representative so that your data and insights are robust.",
        ),
        # Adapted: the seed's "Building knowledge" is what qualitative research does.
        related=_concept_set("qualitative-research"),
    ),
    Term(
        slug="solving-challenges-together",
        pref_label="solving challenges together",
        mentions=(
            "With co-production, and especially in the co-design phase, it's not about"
            " information gathering but about problem solving. People with different"
            " perspectives, including citizens and professionals, come together to generate"
            " ideas, test them, and build better services together. Here it's not about large"
            " sample numbers and proportionality to the whole population, but about having the"
            ' "right people" in the room: professionals who are willing to try new things, and'
            " citizens with lived experience who are committed, want to show up, bring their"
            " energy and are excited about the possibilities. It's okay to work with small"
            " numbers. If just one person has an excellent idea, it doesn't make it less"
            " excellent just because only one person had it.",
        ),
        # Adapted: the modeller's reading of the seed's contrast of the two headings.
        distinctions=(
            Distinction("building-knowledge", anchors=("not about information gathering",)),
        ),
        related=_concept_set("co-production"),
    ),
    Term(
        slug="inclusive-co-design",
        pref_label="inclusive co-design",
        alt_labels=frozenset({"designing from the margins"}),
        mentions=(
            "The participants will likely be self selecting, which is great in terms of their"
            " willingness to participate. But examine the demographics and backgrounds of your"
            " participants carefully: the people who generally find it easiest to self-select"
            " are white, middle class, and older. In order for your co-production to be"
            " effective, you must involve people who are from minority, underrepresented, and"
            " marginalised audiences; those who are the most impacted or under-supported in"
            " this situation. (This will be a different combination of people in every"
            " project.) Make sure you remove barriers to involvement and enable them to take"
            " part fully.",
            "If you over-represent the underrepresented voices in your co-production and"
            " co-design processes, then you're designing from the margins, which is a good"
            " thing. Your solutions will always be generalisable for the people who have more"
            " privilege and less complex needs. Indeed, inclusive design benefits everyone,"
            " because many of us will have additional needs at some point in our life, whether"
            " these are situational (e.g. carrying a baby in one arm), temporary (e.g. having"
            " a broken arm in a sling), or a permanent change in our circumstances (e.g."
            " losing use of one arm).",
        ),
        # No examples: "(e.g. carrying a baby in one arm)" and its siblings are the seed's
        # examples of additional needs, not of inclusive co-design.
        broader=_concept_set("co-design"),
        sources=(
            Source(
                (
                    r"oxfordcc\.co\.uk/our-thinking/solve-for-one-extend-to-many-inclusive"
                    r"-design-and-why-it-matters",
                )
            ),
        ),
    ),
)

# The "Good practice guidance" resources: their slugs were not given to the modeller.
# The "Good practice guidance" resources: their slugs were not given to the modeller, so they
# are found by label. Adapted: the addresses are links to the resources (rdfs:seeAlso), not
# sources of quoted text.
_GOOD_PRACTICE: Final = (
    Term(
        slug="national-principles-for-public-engagement-in-wales",
        pref_label="National Principles for Public Engagement in Wales",
        mentions=(
            "They offer guidelines to support and encourage good quality, consistent"
            " engagement activity with service users and the general public, for the third"
            " sector and the public sector. They are available in easy read format and are"
            " accompanied by a Practitioner's Engagement Manual.",
            "The Third Sector Support Wales website requires registration and login to access"
            " resources, but this is free.",
        ),
        see_also=frozenset(
            {
                "https://thirdsectorsupport.wales/resources/national-principles-for-public"
                "-engagement-in-wales/"
            }
        ),
        slug_fixed=False,
    ),
    Term(
        slug="children-and-young-peoples-national-participation-standards",
        pref_label="Children and Young People's National Participation Standards",
        mentions=("They offer specific guidelines for working with children and young people.",),
        see_also=frozenset(
            {
                "https://gov.wales/children-and-young-peoples-participation-standards-good-practice-guide"
            }
        ),
        slug_fixed=False,
    ),
)

TERMS: Final[tuple[Term, ...]] = (
    *_SPECTRUM_TERMS,
    *_KINDS_OF_ENGAGEMENT,
    *_WAYS_AND_VALUES,
    *_CO_DESIGN_AND_CYCLE,
    *_APPROACH_TERMS,
    *_RESEARCH_AND_MARGINS,
    *_GOOD_PRACTICE,
)

COLLECTION_SPECS: Final[tuple[CollectionSpec, ...]] = (
    CollectionSpec(slug=None, members=SPECTRUM, ordered=True),
    CollectionSpec(slug="ways-of-working", members=WAYS_OF_WORKING, ordered=True),
    CollectionSpec(slug="values-of-co-production", members=VALUES, ordered=True),
    CollectionSpec(slug="co-production-cycle", members=CYCLE, ordered=True),
    # Adapted: the seed's list names "participatory research", an alternative label of
    # co-productive research, which is therefore a member (at that place in the list).
    CollectionSpec(
        slug="approaches-sharing-co-production-values",
        members=(
            *(slug for slug, _, _ in APPROACHES[:19]),
            "co-productive-research",
            *(slug for slug, _, _ in APPROACHES[19:]),
        ),
        ordered=False,
    ),
    CollectionSpec(
        slug="good-practice-guidance",
        members=tuple(term.slug for term in _GOOD_PRACTICE),
        ordered=False,
    ),
)

TOP_CONCEPTS: Final = frozenset({"engagement"})

# The cover: "Glossary of engagement terminology / The Co-production Network for Wales /
# Version 1.5 - August 2022".
SCHEME_TITLE: Final = "Glossary of engagement terminology"
SCHEME_VERSION: Final = "1.5"
SCHEME_ISSUED: Final = "2022-08"
SCHEME_AUTHOR: Final = "Co-production Network for Wales"

# --- What the coverage test leaves out -------------------------------------------------
# Lines (compared after stripping surrounding whitespace) that are not prose of the body.
EXCLUDED_LINES: Final = frozenset(
    {
        # The cover: checked by the scheme metadata tests instead.
        "Glossary of engagement terminology",
        "The Co-production Network for Wales",
        "@copronetwales #coproduction",
        "Version 1.5 - August 2022",
        # The contents list (its page numbers are garbled).
        "In this document:",
        "Why this glossary?",
        "Engagement as a spectrum",
        "Engagement: definitions",
        "Stakeholder engagement",
        "Community / public / citizen engagement",
        "Doing for: information, consultation and participation",
        "Doing with: co-production",
        "Doing with: involvement",
        "Co-production and co-design\t8",
        "Co-production and co-productive approaches",
        "Co-production and qualitative research\t\t1",
        "Co-production and the margins\t\t1",
        "Good practice guidance\t\t1",
        # Headings: term headings are checked as labels, section headings say nothing.
        "Stakeholder engagement:",
        "Community engagement (public engagement, citizen engagement):",
        "Information:",
        "Consultation:",
        "Participation:",
        "Co-production:",
        "Involvement:",
        "Co-production and co-design",
        "Co-design:",
        "Co-production and qualitative research",
        "Qualitative research",
        "Co-productive research",
        "Co-production and the margins",
        "Building knowledge",
        "Solving challenges together",
        "Inclusive co-design: designing from the margins",
        "Good practice guidance",
        "The National Principles for Public Engagement in Wales",
        "The Children and Young People's National Participation Standards",
        # The spectrum diagram: its header rows are garbled ("doir"), its examples row is
        # checked item by item by the examples tests. (Its stance and roles rows stay in.)
        "doir\tdoing to\t\tdoing for\t\tdoing with",
        "coercion protection\teducation persuasion\tinformation\tconsultation\tparticipation"
        "\tco-production involvement",
        "e.g. criminal justice, safeguarding\te.g. smoking cessation programmes\te.g. Council"
        " website info on bin collections\te.g. surveys, urban planning, FixMyStreet\te.g."
        " drop-in events, focus groups\te.g. person-centred care, shared decision making",
        # The co-production cycle diagram, garbled in extraction.
        "o-evaluation",
        "Co-creation, Co-planning or Co-commissioning",
        "Co-design and Co-decision making",
        "Co-delivery and Co-implementation",
        "Co-evaluation",
        "Co-creation,",
        "Co-planning of",
        "Co-commission",
        # Links: checked by the sources tests.
        '"Solve for one - extend to many": https://www.oxfordcc.co.uk/our-thinking/solve-for'
        "-one-extend-to-many-inclusive-design-and-why-it-matters/",
        "https://thirdsectorsupport.wales/resources/national-principles-for-public-engagement"
        "-in-wales/",
        "https://gov.wales/children-and-young-peoples-participation-standards-good-practice-guide",
        "https://coproduction.wales",
        "https://copronet.wales",
        "https://info.copronet.wales",
        "@copronetwales",
        # The back cover: the publisher's own blurb, not the glossary.
        "The Co-production Network for Wales is a community of practitioners who learn,"
        " share and improve together. A range of resources and events are available to"
        " support you.",
        "Membership is free for individuals.",
        "Organisational membership is available for teams.",
        "We help public services improve outcomes for people through co-production and"
        " involvement.",
        "The Co-production Lab Wales offers a range of training, facilitation, and project"
        " support. We are a not-for-profit organisation, and our surplus contributes to"
        " funding the work of the Co-production Network for Wales.",
    }
)

# Framing the seed puts around a text that the vocabulary carries in structure instead
# (regex, replacement), applied to each kept line before it is split into sentences.
LINE_REWRITES: Final = (
    (r"^How we know it's [a-z-]+: ", ""),  # gloss:recognitionCriterion
    (r"^It's not [a-z-]+ because: ", ""),  # gloss:reason
    (r'^"Engagement": ', ""),  # the term being defined
    (r"^Public engagement in research: ", ""),  # the term being defined
    (r"^<u>Note:</u> ", ""),
    (r"^\^\{\*\} ", ""),  # footnote marker
    (r"^- ", ""),  # list bullet
    (r" https://.*$", ""),  # the co-design quote's attribution links (garbled), a source
    (r" \(NIHR INVOLVE, 2018\)$", ""),  # a citation, checked as a source
    # Adapted to faithful modelling choices (a tab makes two sentences of one):
    # the paragraph's example is a skos:example without its lead-in;
    (r"\. For example, (working with colleagues)", r".\t\1"),
    # the NCCPE's words are a definition, the NCCPE its source;
    (
        r"The National Co-ordinating Centre for Public Engagement \(NCCPE\) define public"
        r" engagement as: ",
        "\t",
    ),
    # the examples of public engagement in research are skos:examples.
    (r" Examples of public engagement are (.*?), or (engaging .*?\.)", r"\t\1\t\2"),
)
# Lines starting with this list their items separated by "; " (skos:example each).
EXAMPLES_PREFIX: Final = "Examples: "

# --- The seed ----------------------------------------------------------------------
# ``seed.txt`` beside this module is "glossary-of-engagement-terminology.txt" byte for byte
# (``test_seed_fixture_is_the_shared_seed`` compares it with ``../shared/seed/``); its
# lines are split on "\n" only, so that joining them again gives the file back.
SEED_FILE: Final = Path(__file__).with_name("seed.txt")
SEED_LINES: Final[tuple[str, ...]] = tuple(SEED_FILE.read_bytes().decode("utf-8").split("\n"))
