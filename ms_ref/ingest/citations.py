"""Citation addresses: the forms that cannot be right, and which kind of publisher a citation comes from.

`url_problem` is part of validation (every knowledge-base file, the user's too): an address with
whitespace, another scheme, a malformed host or a tracking parameter is refused. `source_group` sorts
a citation into the groups a clinic trusts, highest first (regulators and labels, guidelines, MS
societies and health services, peer-reviewed literature), then news, then what is not a source; the
tests hold the shipped knowledge base to it. Runs only when data is validated, never on a lookup.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

# Query parameters that track a reader or a session and never change what a page says.
_TRACKING_PREFIXES = ("utm_", "urm_", "mc_", "_hs", "pk_", "hsa_", "mtm_")
_TRACKING = frozenset(
    "fbclid gclid dclid msclkid yclid igshid campaign cmpid nonce_token sessionid jsessionid sid phpsessid "
    "aspsessionid cfid cftoken error _ga _gl ref_src spm src trk".split()
)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a citation's address, or None when its form is sound."""
    if any(c.isspace() for c in url) or not url.isprintable():
        return "contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a well-formed address"
    if parts.scheme not in ("https", "http"):
        return "is not an http(s) address"
    host = parts.hostname or ""
    if not host or "." not in host or host.endswith(".") or ".." in host:
        return "has a malformed host"
    if parts.username or parts.password:
        return "carries a user name or password"
    if port is not None and (port, parts.scheme) in ((443, "https"), (80, "http")):
        return "names the default port"
    if ";jsessionid=" in parts.path.casefold():
        return "carries a session id"
    for key, _value in parse_qsl(parts.query, keep_blank_values=True):
        folded = key.casefold()
        if folded in _TRACKING or folded.startswith(_TRACKING_PREFIXES):
            return f"carries the tracking or session parameter {key!r}"
    return None


# --------------------------------------------------------------------------------------------------
# Publisher groups, by host. A host listed under a group counts for itself and its subdomains.

GROUPS = ("regulator", "guideline", "society", "literature", "news", "not a source", "unclassified")
TRUSTED = frozenset(("regulator", "guideline", "society", "literature"))

_HOSTS = {
    "regulator": (
        "fda.gov",
        "accessdata.fda.gov",
        "dailymed.nlm.nih.gov",
        "ema.europa.eu",
        "ec.europa.eu",
        "health.ec.europa.eu",
        "gov.uk",
        "mhra.gov.uk",
        "canada.ca",
        "hc-sc.gc.ca",
        "tga.gov.au",
        "hpra.ie",
        "medicines.org.uk",
        "compendium.ch",
        "swissmedic.ch",
        "pei.de",
        "bfarm.de",
        "ansm.sante.fr",
    ),
    "guideline": (
        "nice.org.uk",
        "aan.com",
        "ectrims.eu",
        "ean.org",
        "theabn.org",
        "sign.ac.uk",
        "rcplondon.ac.uk",
        "awmsg.nhs.wales",
        "scottishmedicines.org.uk",
    ),
    "society": (
        "nationalmssociety.org",
        "mssociety.org.uk",
        "mstrust.org.uk",
        "msif.org",
        "msaustralia.org.au",
        "mscanada.ca",
        "mssociety.ca",
        "mymsaa.org",
        "msaa.org",
        "ninds.nih.gov",
        "nih.gov",
        "medlineplus.gov",
        "nhs.uk",
        "cdc.gov",
        "nccih.nih.gov",
        "who.int",
        "ms-uk.org",
        "msdecisions.org.uk",
        "multiplesclerosis.org.au",
        "msra.org.au",
        "emsp.org",
        "ukmssocietyresearch.org",
        "va.gov",
        "medicinesinpregnancy.org",
        "nhsinform.scot",
        "hse.ie",
        "cancer.gov",
        "ms.org.au",
        "msplus.org.au",  # MS Plus, an Australian MS charity
    ),
    "literature": (
        "doi.org",
        "pubmed.ncbi.nlm.nih.gov",
        "pmc.ncbi.nlm.nih.gov",
        "ncbi.nlm.nih.gov",
        "cochranelibrary.com",
        "cochrane.org",
        "nejm.org",
        "thelancet.com",
        "jamanetwork.com",
        "bmj.com",
        "neurology.org",
        "n.neurology.org",
        "nature.com",
        "springer.com",
        "link.springer.com",
        "wiley.com",
        "onlinelibrary.wiley.com",
        "sagepub.com",
        "journals.sagepub.com",
        "oup.com",
        "academic.oup.com",
        "sciencedirect.com",
        "cell.com",
        "frontiersin.org",
        "mdpi.com",
        "biomedcentral.com",
        "plos.org",
        "plosone.org",
        "jci.org",
        "msard-journal.com",
        "jnnp.bmj.com",
        "pn.bmj.com",
        "ashpublications.org",
        "annualreviews.org",
        "tandfonline.com",
        "karger.com",
        "thieme-connect.com",
        "elifesciences.org",
        "science.org",
        "pnas.org",
        "jneurosci.org",
        "dovepress.com",
        "hindawi.com",
        "nap.edu",
        "nationalacademies.org",
        "aafp.org",
        "ahajournals.org",
        "annals.org",
        "acpjournals.org",
        "clinicaltrials.gov",
        "clinicaltrialsregister.eu",
        "euclinicaltrials.eu",
        "isrctn.com",
        "ccjm.org",
        "pubmed.gov",
        "ajnr.org",
        "thieme-connect.de",
        "tremorjournal.org",
        "smw.ch",
    ),
    "news": (
        "multiplesclerosisnewstoday.com",
        "neurologylive.com",
        "fiercebiotech.com",
        "fiercepharma.com",
        "medscape.com",
        "healio.com",
        "reuters.com",
        "statnews.com",
        "biospace.com",
        "thepharmaletter.com",
        "pharmaphorum.com",
        "pharmatimes.com",
        "ajmc.com",
        "practicalneurology.com",
        "empr.com",
        "fdanews.com",
        "endpts.com",
        "nytimes.com",
        "bbc.co.uk",
        "bbc.com",
        "theguardian.com",
        "healthday.com",
        "clinicaladvisor.com",
        "neurologyadvisor.com",
        "physiciansweekly.com",
        "centerwatch.com",
    ),
    "not a source": (
        "handwiki.org",
        "prnewswire.com",
        "globenewswire.com",
        "businesswire.com",
        "aetoswire.com",
        "nasdaq.com",
        "finanznachrichten.de",
        "wallstreet-online.de",
        "drugs.com",
        "rxlist.com",
        "webmd.com",
        "verywellhealth.com",
        "verywell.com",
        "healthline.com",
        "drugcentral.org",
        "medthority.com",
        "semanticscholar.org",
        "scilit.com",
        "droracle.ai",
        "wikipedia.org",
        "sec.gov",
        "figshare.com",
    ),
}
_BY_HOST = {host: group for group, hosts in _HOSTS.items() for host in hosts}


def source_group(url: str) -> str:
    """The publisher group of a citation, by its host ("unclassified" when the host is not listed).

    PMC and journal figure or table pages, and search or listing pages, are not sources whatever the host.
    """
    parts = urlsplit(url)
    path = parts.path.casefold()
    if any(marker in path for marker in ("/figure/", "/table/", "/figures/", "/tables/")):
        return "not a source"
    host = (parts.hostname or "").casefold()
    if host == "api.fda.gov":
        query = parts.query.replace("%3A", ":").replace("%22", '"')
        return "regulator" if "set_id:" in query or "application_number:" in query else "not a source"
    while host:
        if host in _BY_HOST:
            return _BY_HOST[host]
        host = host.partition(".")[2]
    return "unclassified"
