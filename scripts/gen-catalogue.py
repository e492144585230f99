#!/usr/bin/env python3
"""Generate vpce's built-in AWS catalogue: crates/vpce_data/data/{regions,services}.tsv.

Source of the raw data is moto (the in-process AWS mock, from PyPI): for every
region moto knows, EC2 DescribeAvailabilityZones and DescribeVpcEndpointServices.
No network access and no AWS account are used: moto answers in-process, with
fake credentials.

moto does not know everything AWS documents (s3express gateway endpoints,
DynamoDB interface endpoints, cross-region support, policy restrictions, IPv6),
so a small hand-curated table (CURATED below) amends its output. Every service
row records where its facts come from in its `source` column (moto / aws-doc /
both) and why in its `notes` column. Edit CURATED here, never the .tsv files.

Usage (moto is installed into a throwaway virtualenv, not into the system):

    python3 -m venv /tmp/motoenv
    /tmp/motoenv/bin/pip install 'moto[all]==5.2.5'
    /tmp/motoenv/bin/python scripts/gen-catalogue.py          # writes the files
    /tmp/motoenv/bin/python scripts/gen-catalogue.py --check  # fails if stale

`moto[all]` rather than `moto[ec2]`: DescribeVpcEndpointServices loads the
backends of every service moto implements an endpoint for (CloudFormation,
API Gateway, ...), and those import their own optional dependencies.

When run with a python that lacks moto or has another moto version than
MOTO_VERSION, the script re-executes itself with /tmp/motoenv/bin/python (or
$VPCE_MOTO_PYTHON) if that exists; --any-moto accepts whatever is installed
(the version used is recorded in the headers either way).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates" / "vpce_data" / "data"
VENV_PYTHON = Path("/tmp/motoenv/bin/python")  # override with $VPCE_MOTO_PYTHON
# The moto release the checked-in files come from (newest on PyPI on 2026-11-23).
# Bump it deliberately: a new moto changes the table.
MOTO_VERSION = "5.2.5"

# AWS documentation pages used for the hand-curated rows (cross-checks only).
DOC_SERVICES = "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html"
# When DOC_SERVICES ("AWS services that integrate with AWS PrivateLink") was last read
# to refresh CURATED. The page carries no date of its own; AWS adds services to it
# often, so vpce says how old its list is (V412).
DOC_SERVICES_READ = "2026-12-04"
DOC_S3TABLES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-VPC.html"
DOC_AGENTCORE = "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/vpc-interface-endpoints.html"
DOC_CROSS_REGION = (
    "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html"
)
DOC_S3EXPRESS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-tutorial-endpoints.html"
DOC_S3EXPRESS_AZS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-bucket-az-networking.html"
DOC_DYNAMODB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/privatelink-interface-endpoints.html"
DOC_DUALSTACK_STS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_dual-stack_endpoint_support.html"
DOC_DUALSTACK_PCA = "https://docs.aws.amazon.com/privateca/latest/userguide/dual-stack-endpoint-support.html"

# The only services with gateway endpoints (docs/rules/V300-gateway-unsupported-service.md;
# https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
GATEWAY_SERVICES = {"s3", "dynamodb", "s3express"}

# Hand-curated amendments to moto's answer, keyed by short service name.
# Keys: interface/gateway/ipv6/cross_region/full_access_policy_only (values as
# in the .tsv), private_dns (template with {region}), note (why; cite source).
# A name moto does not list at all becomes a new `aws-doc` row available in
# every region of partition `aws` (regional availability is not documented in
# a machine-readable way; see the header notes).
CROSS_REGION_NOTE = "cross_region: listed on " + DOC_CROSS_REGION + " (AWS-service cross-region GA Nov 2025)"
CURATED: dict[str, dict[str, str]] = {
    # --- gateway endpoints moto lacks -----------------------------------------
    "s3express": {
        "gateway": "yes",
        "note": "gateway: S3 Express One Zone gateway endpoints, " + DOC_S3EXPRESS
        + "; moto lists only an interface endpoint, in every region, while AWS documents"
        " S3 Express One Zone in a subset of regions (" + DOC_S3EXPRESS_AZS + "): regions kept as moto has them",
    },
    # --- interface endpoints moto lacks ---------------------------------------
    "dynamodb": {
        "interface": "yes",
        "private_dns": "dynamodb.{region}.amazonaws.com",
        "note": "interface: AWS PrivateLink for DynamoDB, " + DOC_DYNAMODB + "; moto lists only the gateway endpoint;"
        " private_dns follows the usual pattern (UNCONFIRMED)",
    },
    # --- interface endpoints moto lacks, from DOC_SERVICES (read DOC_SERVICES_READ) --
    "s3tables": {
        "interface": "yes",
        "private_dns": "s3tables.{region}.amazonaws.com",
        "note": "not in moto; S3 Tables interface endpoints com.amazonaws.REGION.s3tables, " + DOC_S3TABLES
        + " and " + DOC_SERVICES + "; private_dns is the S3 Tables endpoint name (UNCONFIRMED as the private"
        " DNS name); S3 Tables is offered in a subset of regions (UNCONFIRMED which): listed everywhere",
    },
    "bedrock-agentcore": {
        "interface": "yes",
        "private_dns": "bedrock-agentcore.{region}.amazonaws.com",
        "note": "not in moto; Amazon Bedrock AgentCore data plane, com.amazonaws.REGION.bedrock-agentcore, "
        + DOC_AGENTCORE + " and " + DOC_SERVICES + "; private_dns follows the usual pattern (UNCONFIRMED);"
        " AgentCore is offered in a few regions only (UNCONFIRMED which): listed everywhere",
    },
    # --- endpoint policy restrictions -----------------------------------------
    # full_access_policy_only says who attests it: `aws` (an AWS source) or `moto`
    # (moto's VpcEndpointPolicySupported=false only; V705 warns rather than errs).
    "eks": {
        "full_access_policy_only": "aws",
        "note": "full_access_policy_only: AWS error 'Service com.amazonaws.eu-west-1.eks only supports the"
        " full-access endpoint policy.' (landing-zone-accelerator-on-aws issue #224);"
        " moto reports VpcEndpointPolicySupported=true",
    },
    # --- IPv6 (moto never reports SupportedIpAddressTypes) --------------------
    "sts": {
        "ipv6": "yes",
        "note": "ipv6: STS dual-stack endpoints reachable over PrivateLink, " + DOC_DUALSTACK_STS,
    },
    "acm-pca": {
        "ipv6": "yes",
        "note": "ipv6: 'privately accessible over IPv4 and IPv6 ... using AWS PrivateLink', " + DOC_DUALSTACK_PCA,
    },
    # --- cross-region support (AWS services) ----------------------------------
    "s3": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "ecr.api": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "ecr.dkr": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "kms": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "kms-fips": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "ecs": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "lambda": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "kinesis-firehose": {"cross_region": "yes", "note": CROSS_REGION_NOTE},
    "kinesisanalytics": {
        "interface": "yes",
        "cross_region": "yes",
        "private_dns": "kinesisanalytics.{region}.amazonaws.com",
        "note": "not in moto; Amazon Managed Service for Apache Flink, " + DOC_CROSS_REGION
        + "; private_dns follows the usual pattern (UNCONFIRMED)",
    },
    "kinesisanalytics-fips": {
        "interface": "yes",
        "cross_region": "yes",
        "private_dns": "kinesisanalytics-fips.{region}.amazonaws.com",
        "note": "not in moto; " + DOC_CROSS_REGION + "; private_dns follows the usual pattern (UNCONFIRMED);"
        " FIPS endpoints exist only in some US/Canada regions (UNCONFIRMED which): listed everywhere",
    },
}

# Header notes on what the table does not capture.
UNCERTAIN = [
    "Regional availability: moto offers almost every endpoint service in every region it knows"
    " (only iot, iot.data and codepipeline vary), so `regions` is moto's claim, not AWS's:"
    " real AWS lacks many services in newer regions. Treat `available_in` = false as reliable"
    " only for the gaps listed.",
    "ipv6: moto never reports SupportedIpAddressTypes. `unknown` means not known either way;"
    " only sts and acm-pca are `yes`, from AWS docs.",
    "private_dns: moto's PrivateDnsName, generalised to {region}; for most services moto derives it"
    " from the service name ({service}.{region}.amazonaws.com), which is not always AWS's real"
    " name (e.g. AWS uses *.s3.{region}.amazonaws.com for S3 interface endpoints).",
    "full_access_policy_only: `aws` for eks, from the AWS error message; `moto` for cloudformation,"
    " codepipeline, iot.data and redshift-data, from moto's VpcEndpointPolicySupported=false only"
    " (no AWS source confirms them: V705 warns for them). Other services may have the same restriction.",
    "cross_region: the AWS page also lists IAM (com.amazonaws.iam) and Route 53"
    " (com.amazonaws.route53). Their service names carry no region, so they do not fit this"
    " table's short-name model and are left out (UNCONFIRMED which regions serve them)."
    " Cross-region access for AWS services may be limited to some region pairs (UNCONFIRMED).",
    "Not every service on the AWS page is here: moto's list has about 250 of them, and only the"
    " rows in CURATED were added by hand. The copy of the AWS page read on " + DOC_SERVICES_READ
    + " could not be read whole; s3tables and bedrock-agentcore were checked on their own service"
    " guides. A service missing from this table may still exist (V412 warns, V405 errs only on"
    " likely typos).",
    "AZ names: moto's fixed name<->id mapping. Real AWS maps names to ids differently per account;"
    " only the ids (euw1-az1) are stable.",
    "China regions: AWS names many services there cn.com.amazonaws.REGION.x; moto uses"
    " com.amazonaws.REGION.x. Short names are the same either way.",
]


def ensure_moto(allow_other: bool) -> None:
    """Make sure the pinned moto runs this script: re-exec under the throwaway
    virtualenv when the current python lacks moto or has another version."""
    try:
        import moto

        version = moto.__version__
    except ImportError:
        version = None
    if version == MOTO_VERSION or (version is not None and allow_other):
        return
    venv = Path(os.environ.get("VPCE_MOTO_PYTHON", VENV_PYTHON))
    if venv.exists() and Path(sys.executable).absolute() != venv.absolute():
        os.execv(str(venv), [str(venv), __file__, *sys.argv[1:]])
    found = f"moto {version}" if version else "no moto"
    sys.exit(
        f"found {found} for {sys.executable}; this catalogue is generated with moto {MOTO_VERSION}. Run:\n"
        f"  python3 -m venv /tmp/motoenv && /tmp/motoenv/bin/pip install 'moto[all]=={MOTO_VERSION}'\n"
        "then rerun this script (or pass --any-moto to use the installed version and record it)."
    )


SERVICE_NAME = re.compile(r"^(?:cn\.)?com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d+)\.([a-z0-9][a-z0-9.\-]*)$")


def collect() -> dict:
    """Ask moto for regions, AZs and endpoint services. Returns plain data."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    import boto3
    import botocore
    import moto
    from moto import mock_aws

    session = boto3.session.Session()
    out: dict = {
        "moto": moto.__version__,
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "regions": {},
        "services": {},
        "skipped": set(),
    }
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        region_names = sorted(r["RegionName"] for r in ec2.describe_regions(AllRegions=True)["Regions"])
        for region in region_names:
            client = boto3.client("ec2", region_name=region)
            azs = client.describe_availability_zones()["AvailabilityZones"]
            out["regions"][region] = {
                "partition": session.get_partition_for_region(region),
                "azs": sorted((a["ZoneId"], a["ZoneName"]) for a in azs),
            }
            details = []
            token = None
            while True:
                kwargs = {"NextToken": token} if token else {}
                page = client.describe_vpc_endpoint_services(**kwargs)
                details.extend(page["ServiceDetails"])
                token = page.get("NextToken")
                if not token:
                    break
            for d in details:
                m = SERVICE_NAME.match(d["ServiceName"])
                if not m or m.group(1) != region:
                    out["skipped"].add(d["ServiceName"].replace(region, "REGION"))
                    continue
                short = m.group(2)
                svc = out["services"].setdefault(
                    short,
                    {
                        "interface": False,
                        "gateway": False,
                        "policy": True,
                        "ipv6": None,
                        "private_dns": set(),
                        "regions": set(),
                    },
                )
                types = {t["ServiceType"] for t in d["ServiceType"]}
                svc["interface"] |= "Interface" in types
                svc["gateway"] |= "Gateway" in types
                svc["policy"] &= bool(d.get("VpcEndpointPolicySupported", True))
                ip_types = d.get("SupportedIpAddressTypes")
                if ip_types is not None:
                    svc["ipv6"] = (svc["ipv6"] or False) or ("ipv6" in ip_types)
                dns = d.get("PrivateDnsName")
                if dns and "Interface" in types:
                    svc["private_dns"].add(dns.replace(region, "{region}"))
                svc["regions"].add(region)
    return out


def yn(value: bool) -> str:
    return "yes" if value else "no"


def regions_field(regions: set[str], all_regions: list[str]) -> str:
    """`*` for every region, `*,-a,-b` for all but a few, else an explicit list."""
    missing = [r for r in all_regions if r not in regions]
    if not missing:
        return "*"
    if len(missing) <= len(all_regions) // 4:
        return "*," + ",".join("-" + r for r in missing)
    return ",".join(sorted(regions))


def build_rows(data: dict) -> list[list[str]]:
    all_regions = sorted(data["regions"])
    commercial = {r for r, v in data["regions"].items() if v["partition"] == "aws"}
    rows = []
    names = sorted(set(data["services"]) | set(CURATED))
    for name in names:
        moto_svc = data["services"].get(name)
        cur = CURATED.get(name, {})
        if moto_svc is None:
            source = "aws-doc"
            fields = {
                "interface": "no",
                "gateway": "no",
                "ipv6": "unknown",
                "cross_region": "no",
                "full_access_policy_only": "no",
                "private_dns": "-",
            }
            regions = commercial
        else:
            source = "both" if cur else "moto"
            dns = sorted(moto_svc["private_dns"])
            if len(dns) > 1:
                raise SystemExit(f"{name}: several private DNS names in moto: {dns}")
            fields = {
                "interface": yn(moto_svc["interface"]),
                "gateway": yn(moto_svc["gateway"]),
                "ipv6": "unknown" if moto_svc["ipv6"] is None else yn(moto_svc["ipv6"]),
                "cross_region": "no",
                "full_access_policy_only": "no" if moto_svc["policy"] else "moto",
                "private_dns": dns[0] if dns else "-",
            }
            regions = moto_svc["regions"]
        for key, value in cur.items():
            if key != "note":
                fields[key] = value
        if fields["interface"] == "no" and fields["gateway"] == "no":
            raise SystemExit(f"{name}: neither interface nor gateway")
        if (fields["gateway"] == "yes") != (name in GATEWAY_SERVICES):
            raise SystemExit(f"{name}: gateway={fields['gateway']} contradicts the known gateway services")
        rows.append(
            [
                name,
                fields["interface"],
                fields["gateway"],
                fields["ipv6"],
                fields["cross_region"],
                fields["full_access_policy_only"],
                fields["private_dns"],
                source,
                regions_field(set(regions), all_regions),
                cur.get("note", "-"),
            ]
        )
    return rows


def header(title: str, data: dict, date: str, columns: list[str], extra: list[str]) -> str:
    lines = [
        f"# {title}",
        f"# catalogue: moto {data['moto']} describe_vpc_endpoint_services + hand-curated AWS docs, generated {date}",
        f"# source: moto {data['moto']} (PyPI; boto3 {data['boto3']}, botocore {data['botocore']}), in-process, no network;",
        "#   EC2 DescribeRegions(AllRegions=true), DescribeAvailabilityZones and DescribeVpcEndpointServices per region.",
        f"# generated: {date} by `python3 scripts/gen-catalogue.py` (see crates/vpce_data/data/README.md).",
        "#   Do not edit by hand: change CURATED in the script and regenerate.",
        "# format: one record per line, fields separated by a single TAB; `#` lines are comments.",
        "# columns:",
        *[f"#   {c}" for c in columns],
        *extra,
    ]
    return "\n".join(lines) + "\n"


def render(data: dict, date: str) -> tuple[str, str]:
    # regions.tsv
    region_cols = [
        "region     region code (eu-west-1)",
        "partition  aws | aws-cn | aws-us-gov (botocore's partition data)",
        "az_id      zone id (euw1-az1); the part before `-az` is the region's az_prefix",
        "az_name    zone name (eu-west-1b) in moto's fixed mapping: real AWS maps names to ids per account",
    ]
    lines = []
    for region in sorted(data["regions"]):
        info = data["regions"][region]
        for az_id, az_name in info["azs"]:
            lines.append("\t".join([region, info["partition"], az_id, az_name]))
    regions_tsv = header(
        "vpce built-in AWS regions and availability zones (one line per zone)",
        data,
        date,
        region_cols,
        [f"# counts: {len(data['regions'])} regions, {len(lines)} zones"],
    ) + "\n".join(lines) + "\n"

    # services.tsv
    rows = build_rows(data)
    service_cols = [
        "name                     short name: com.amazonaws.REGION.<name> (s3, ecr.dkr)",
        "interface                yes | no: has interface endpoints",
        "gateway                  yes | no: has gateway endpoints (only s3, dynamodb, s3express)",
        "ipv6                     yes | no | unknown: accepts IPv6 (dualstack/ipv6 endpoints)",
        "cross_region             yes | no: reachable from another region's VPC (interface endpoint with service_region)",
        "full_access_policy_only  no | aws | moto: rejects any endpoint policy but the default full-access one,"
        " as an AWS source says (aws) or only moto (moto)",
        "private_dns              private DNS name template with {region}, or - for none",
        "source                   moto (all from moto) | aws-doc (row added from AWS docs) | both (moto row amended from AWS docs)",
        "regions                  * = every region in regions.tsv; *,-r1,-r2 = all but those; else a comma-separated list",
        "notes                    why a row differs from moto, with its source; - when none",
    ]
    skipped = sorted(data["skipped"])
    extra = [
        f"# counts: {len(rows)} services"
        f" ({sum(r[7] == 'moto' for r in rows)} moto, {sum(r[7] == 'both' for r in rows)} both,"
        f" {sum(r[7] == 'aws-doc' for r in rows)} aws-doc)",
        "# aws-list: " + DOC_SERVICES + " (\"AWS services that integrate with AWS PrivateLink\")",
        "# aws-list-read: " + DOC_SERVICES_READ,
        "# cross-check pages: " + DOC_SERVICES,
        "#   and " + DOC_CROSS_REGION,
        "# skipped moto names (not com.amazonaws.REGION.x): " + (", ".join(skipped) if skipped else "none"),
        "# uncertain:",
        *[f"#   - {u}" for u in UNCERTAIN],
    ]
    services_tsv = header(
        "vpce built-in AWS endpoint service catalogue (one line per service)",
        data,
        date,
        service_cols,
        extra,
    ) + "\n".join("\t".join(r) for r in rows) + "\n"
    return regions_tsv, services_tsv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", help="date to record (default: today, UTC)")
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing them")
    parser.add_argument("--any-moto", action="store_true", help=f"accept a moto other than {MOTO_VERSION}")
    args = parser.parse_args()
    ensure_moto(args.any_moto)
    data = collect()
    if args.check and not args.date:
        # Compare against the recorded date so that a check on another day passes.
        m = re.search(r"^# generated: (\S+)", (DATA / "services.tsv").read_text(), re.M)
        args.date = m.group(1) if m else None
    date = args.date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    regions_tsv, services_tsv = render(data, date)
    outputs = {DATA / "regions.tsv": regions_tsv, DATA / "services.tsv": services_tsv}
    if args.check:
        stale = [str(p.relative_to(ROOT)) for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        if stale:
            print("stale: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("up to date")
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
