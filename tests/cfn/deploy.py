#!/usr/bin/env python3
"""Deploys `vpce build` outputs to a moto server and checks what moto models.

    deploy.py --endpoint http://127.0.0.1:PORT --manifest DIR/manifest.json [--manifest ...]
    deploy.py --same-templates JSON_DIR/manifest.json YAML_DIR/manifest.json

Deploy mode, for each manifest in turn:

1. checks the manifest against its templates (counts, CloudFormation's quotas, stack
   names, deployment order, every `Fn::ImportValue` exported by an earlier stack of
   the same region that is listed in `depends_on`, a `Description` on every security
   group rule);
2. gives the build an AWS account of its own on the server (moto's
   `x-moto-account-id` header), so builds never see each other;
3. creates the stacks in manifest order (templates over 51,200 bytes go through an S3
   bucket and `TemplateURL`, as CloudFormation requires), each in its region, with the
   stack parameters the manifest wires (`"parameters": [{"name", "from_stack",
   "output"}]`: the value of that output of that earlier stack), and waits (bounded)
   for CREATE_COMPLETE; existing VPCs, subnets and route tables a template names by id
   get stand-ins on moto first, whose ids replace the literal ones;
4. compares every resource moto models with its template: VPCs, subnets, route
   tables and routes, internet and NAT gateways, security groups and their rules, load
   balancers, the three endpoint types with their service names, route tables,
   subnets, security groups, private DNS and policies, and the stack outputs and
   exports;
5. deletes the stacks in reverse order.

What moto 5.2.5's CloudFormation layer cannot model is named, never silently passed:
see LIMITS below and tests/cfn/README.md. Any mismatch, failed stack or unexpected
error makes the exit status 1, with one line per problem.

`--same-templates` checks that each YAML template parses (with cfn-lint's YAML
loader, which reads the short-form intrinsics) to exactly its JSON twin.

Network: only the --endpoint URL (127.0.0.1). Credentials are moto's dummy ones.
"""

import argparse
import ast
import json
import os
import re
import sys
import time
from pathlib import Path

# Never reach a real account or the instance metadata service.
for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}.items():
    os.environ[_key] = _value
os.environ.pop("AWS_PROFILE", None)

FIRST_ACCOUNT = 100_000_000_000  # each build deploys into an account of its own
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_BODY_INLINE = 51_200  # CreateStack TemplateBody
MAX_BODY_S3 = 1_048_576  # CreateStack TemplateURL (1 MB)
STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")

# What moto 5.2.5's CloudFormation layer does not model, each verified against that
# version (tests/cfn/README.md). A limitation is reported when a build meets it.
LIMITS = {
    "skipped": "moto has no CloudFormation model for {types}: it reports them "
    "CREATE_COMPLETE without creating anything (nor any output that refers to them)",
    "service-name": "the service name of an endpoint to a local endpoint service is "
    "checked only up to the service id: moto creates no VPCEndpointService, so the "
    "`Ref` stays unresolved",
    "route-target": "routes to VPC endpoints (`VpcEndpointId`) are created without a "
    "target: only their route table and destination are checked",
    "associations": "subnet route table associations are not shown by "
    "DescribeRouteTables: only that each one's physical id is its route table is checked",
    "az": "`AvailabilityZoneId` is ignored: every subnet lands in us-east-1a "
    "(use1-az6) whatever the region, so zones are not checked",
    "lb-type": "load balancer `Type` and `Scheme` are ignored (every one becomes an "
    "internet-facing application load balancer): only names and subnets are checked",
    "getatt-endpoint": "`Fn::GetAtt` on an AWS::EC2::VPCEndpoint cannot be evaluated "
    "(moto's VPCEndPoint has no get_cfn_attribute): with an `Export` CreateStack fails "
    "with HTTP 500, without one DescribeStacks drops every output of the stack; these "
    "outputs were removed before deploying and are not checked: {outputs}",
    "output-partial": "outputs built from a resource moto does not model (it writes "
    "`None` in its place) are checked around it only: {outputs}",
    "parameter-placeholder": "stack parameters filled from outputs of resources moto "
    "does not model get a placeholder id of the right format, so what depends on them "
    "is checked against the placeholder: {outputs}",
    "vpc-dns": "VPC `EnableDnsSupport`/`EnableDnsHostnames` are ignored (the VPC keeps "
    "moto's defaults)",
    "sg-egress": "`SecurityGroupEgress` is ignored (every group keeps the default "
    "allow-all egress rule): egress rules are not checked",
    "sg-ipv6": "ingress rules other than `CidrIp` and `SourceSecurityGroupId` "
    "(`CidrIpv6`, `SourcePrefixListId`) are ignored and not checked",
    "rule-descriptions": "security group rule descriptions are dropped: checked in the "
    "template only",
    "endpoint-props": "VPCEndpoint {props} are ignored and not checked",
    "tags": "the Tags of {types} are dropped and not checked",
    "delete": "stack deletion fails with DependencyViolation: moto's CloudFormation "
    "layer cannot delete {types}, so the VPC keeps dependencies",
    "delete-leaves": "DeleteStack succeeds but leaves {types} behind (moto's "
    "CloudFormation layer has no delete for them)",
    "all-protocols-ports": "rules for all protocols (`IpProtocol: -1`) without ports crash "
    "moto (KeyError 'FromPort'): they are deployed with `FromPort`/`ToPort` -1: {props}",
    "existing": "existing VPCs, subnets and route tables the templates name by id do not exist on moto: "
    "stand-ins were created (with CIDRs of the test's choosing) and their ids written in "
    "place of the literal ones before deploying: {props}",
    "existing-gateway": "routes to existing gateways name ids that do not exist on the "
    "moto server: a stand-in of the same kind is created there (a transit gateway, a "
    "virtual private gateway, a peering connection between two scratch VPCs) and the "
    "routes point at it: {props}",
    "listeners": "load balancer listeners cannot be deployed: moto's CloudFormation "
    "layer makes every load balancer an application load balancer, whose listeners take "
    "HTTP or HTTPS only (TCP, UDP, TCP_UDP, TLS and gateway listeners are refused); "
    "removed before deploying and not checked: {props}",
    "target-groups": "target groups are created without their `Targets` (moto's "
    "CloudFormation model does not read them) and named after their logical id, which "
    "moto caps at 32 characters: longer ones were given a shorter logical id before "
    "deploying: {props}",
    "ipv6": "IPv6 cannot be deployed: moto models neither AWS::EC2::VPCCidrBlock nor "
    "`Fn::GetAtt VPC.Ipv6CidrBlocks` nor `Fn::Cidr`; removed before deploying and not "
    "checked: {props}",
}

# Types moto's CloudFormation layer skips (no model), as observed on moto 5.2.5.
NOT_MODELLED = {
    "AWS::EC2::VPCEndpointService",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::EC2::GatewayRouteTableAssociation",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::SecurityGroupEgress",
}
# Types moto creates but whose CloudFormation model has no delete handler.
NOT_DELETABLE = {
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::SecurityGroupIngress",
}
# VPCEndpoint properties moto's model reads.
ENDPOINT_READ = {
    "ServiceName",
    "SubnetIds",
    "VpcEndpointType",
    "VpcId",
    "PolicyDocument",
    "PrivateDnsEnabled",
    "RouteTableIds",
    "SecurityGroupIds",
}


class Unresolvable(Exception):
    """A template value that cannot be computed from what moto created."""


class Report:
    def __init__(self):
        self.failures = []
        self.limits = {}  # key -> set of details
        self.checked = {}  # what -> count

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")

    def limit(self, key, detail=None):
        self.limits.setdefault(key, set())
        if detail is not None:
            self.limits[key].add(detail)

    def count(self, what, n=1):
        self.checked[what] = self.checked.get(what, 0) + n


# --------------------------------------------------------------------------------------
# Boto3 clients
# --------------------------------------------------------------------------------------


class Clients:
    """boto3 clients for the moto server, all acting in `self.account`.

    Each build gets a fresh account (moto's `x-moto-account-id` header), so builds
    cannot see each other's stacks, exports or VPCs, without resetting the server.
    """

    def __init__(self, endpoint):
        import boto3
        from botocore.config import Config

        self.endpoint = endpoint
        self.account = str(FIRST_ACCOUNT)
        self._boto3 = boto3
        # No retries: a moto 500 must surface once, not create resources four times.
        self._config = Config(
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=10,
            read_timeout=120,
        )
        self._cache = {}

    def __call__(self, service, region):
        key = (service, region)
        if key not in self._cache:
            client = self._boto3.client(
                service,
                endpoint_url=self.endpoint,
                region_name=region,
                config=self._config,
            )
            client.meta.events.register("before-send", self._add_account)
            self._cache[key] = client
        return self._cache[key]

    def _add_account(self, request, **_):
        request.headers["x-moto-account-id"] = self.account


# --------------------------------------------------------------------------------------
# Template helpers
# --------------------------------------------------------------------------------------


def walk(value):
    """Every dict inside a template value, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def refs(value):
    """Logical ids a value refers to through Ref, Fn::GetAtt or Fn::Sub."""
    out = set()
    for node in walk(value):
        if isinstance(node.get("Ref"), str) and not node["Ref"].startswith("AWS::"):
            out.add(node["Ref"])
        getatt = node.get("Fn::GetAtt")
        if isinstance(getatt, list) and getatt:
            out.add(getatt[0])
        elif isinstance(getatt, str):
            out.add(getatt.split(".")[0])
        sub = node.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) else sub
        if isinstance(text, str):
            for name in re.findall(r"\$\{([^!}][^}]*)\}", text):
                if not name.startswith("AWS::"):
                    out.add(name.split(".")[0])
    return out


def imports(value):
    return [node["Fn::ImportValue"] for node in walk(value) if "Fn::ImportValue" in node]


def snippet(value, limit=600):
    text = json.dumps(value, indent=None, sort_keys=False)
    return text if len(text) <= limit else text[:limit] + " ..."


class Resolver:
    """Evaluates template values the way CloudFormation would, with moto's ids."""

    def __init__(self, stack, region, template, physical, exports, ec2, account, parameters=None):
        self.account = account
        self.parameters = parameters or {}  # parameter name -> the value it was given
        self.stack = stack
        self.region = region
        self.resources = template.get("Resources", {})
        self.physical = physical  # logical id -> physical id, for what moto created
        self.exports = exports  # export name -> value, from earlier stacks
        self.ec2 = ec2

    def pseudo(self, name):
        values = {
            "AWS::Region": self.region,
            "AWS::StackName": self.stack,
            "AWS::AccountId": self.account,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": None,
        }
        if name not in values:
            raise Unresolvable(f"pseudo parameter {name}")
        return values[name]

    def ref(self, name):
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.parameters:
            return self.parameters[name]
        if name not in self.resources:
            raise Unresolvable(f"Ref to {name}, which is not a resource of the template")
        if name not in self.physical:
            raise Unresolvable(
                f"Ref to {name} ({self.resources[name]['Type']}), which moto did not create"
            )
        return self.physical[name]

    def getatt(self, name, attribute):
        kind = self.resources.get(name, {}).get("Type")
        if kind is None:
            raise Unresolvable(f"Fn::GetAtt on {name}, which is not a resource")
        simple = {
            ("AWS::EC2::SecurityGroup", "GroupId"),
            ("AWS::EC2::VPC", "VpcId"),
            ("AWS::EC2::Subnet", "SubnetId"),
            ("AWS::EC2::RouteTable", "RouteTableId"),
            ("AWS::EC2::VPCEndpoint", "Id"),
            ("AWS::EC2::InternetGateway", "InternetGatewayId"),
            ("AWS::EC2::NatGateway", "NatGatewayId"),
            ("AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerArn"),
            ("AWS::EC2::EIP", "AllocationId"),
        }
        if (kind, attribute) in simple:
            return self.ref(name)
        if kind == "AWS::EC2::VPC" and attribute == "CidrBlock":
            return self.value(self.resources[name]["Properties"]["CidrBlock"])
        if kind == "AWS::EC2::VPC" and attribute == "DefaultSecurityGroup":
            groups = self.ec2.describe_security_groups(
                Filters=[
                    {"Name": "vpc-id", "Values": [self.ref(name)]},
                    {"Name": "group-name", "Values": ["default"]},
                ]
            )["SecurityGroups"]
            if len(groups) != 1:
                raise Unresolvable(f"the default security group of {name}")
            return groups[0]["GroupId"]
        raise Unresolvable(f"Fn::GetAtt {name}.{attribute} ({kind})")

    def value(self, value):
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.getatt(name, attribute)
            if key == "Fn::Join":
                separator, items = arg
                items = self.value(items)
                if not isinstance(items, list):
                    raise Unresolvable("Fn::Join of a non-list")
                return separator.join(str(item) for item in items)
            if key == "Fn::Sub":
                text, variables = (arg[0], arg[1]) if isinstance(arg, list) else (arg, {})

                def substitute(match):
                    name = match.group(1)
                    if name.startswith("!"):
                        return "${" + name[1:] + "}"
                    if name in variables:
                        return str(self.value(variables[name]))
                    if "." in name and not name.startswith("AWS::"):
                        return str(self.getatt(*name.split(".", 1)))
                    return str(self.ref(name))

                return re.sub(r"\$\{([^}]*)\}", substitute, text)
            if key == "Fn::ImportValue":
                name = self.value(arg)
                if name not in self.exports:
                    raise Unresolvable(f"Fn::ImportValue {name}: no such export")
                return self.exports[name]
            if key == "Fn::Select":
                index, items = arg
                return self.value(items)[int(self.value(index))]
            if key == "Fn::GetAZs":
                raise Unresolvable("Fn::GetAZs")
            if key.startswith("Fn::") or key == "Condition":
                raise Unresolvable(key)
        return {k: self.value(v) for k, v in value.items()}

    def pattern(self, value):
        """A regex for a string value whose unresolvable parts may be anything."""
        try:
            return re.escape(str(self.value(value))), []
        except Unresolvable:
            pass
        missing = []
        if isinstance(value, dict) and "Fn::Join" in value:
            separator, items = value["Fn::Join"]
            parts = []
            for item in items:
                try:
                    parts.append(re.escape(str(self.value(item))))
                except Unresolvable as e:
                    parts.append(".*")
                    missing.append(str(e))
            return re.escape(separator).join(parts), missing
        if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
            out = []
            for piece in re.split(r"(\$\{[^}]*\})", value["Fn::Sub"]):
                if piece.startswith("${"):
                    try:
                        out.append(re.escape(str(self.value({"Fn::Sub": piece}))))
                    except Unresolvable as e:
                        out.append(".*")
                        missing.append(str(e))
                else:
                    out.append(re.escape(piece))
            return "".join(out), missing
        raise Unresolvable(f"cannot evaluate {snippet(value)}")


# --------------------------------------------------------------------------------------
# Static checks of a build
# --------------------------------------------------------------------------------------


def load_build(manifest_path, report):
    manifest = json.loads(manifest_path.read_text())
    where = str(manifest_path)
    stacks = manifest.get("stacks")
    if manifest.get("format") != "json":
        report.fail(where, f"format is {manifest.get('format')!r}; deploy a JSON build")
        return None
    if not isinstance(stacks, list) or not stacks:
        report.fail(where, "no stacks")
        return None
    names = [s.get("name") for s in stacks]
    if len(set(names)) != len(names):
        report.fail(where, f"duplicate stack names: {names}")
    loaded = []
    for stack in stacks:
        missing = {"name", "file", "region", "depends_on", "parameters", "resources", "outputs"} - set(stack)
        if missing:
            report.fail(where, f"stack entry {snippet(stack)} lacks {sorted(missing)}")
            return None
        path = manifest_path.parent / stack["file"]
        body = path.read_text()
        template = json.loads(body)
        loaded.append((stack, template, body))
    return manifest, loaded


def static_checks(manifest_path, loaded, report):
    seen = {}  # stack name -> (region, exports)
    for stack, template, body in loaded:
        name, file = stack["name"], stack["file"]
        at = f"{manifest_path.parent.name}/{file}"
        if not STACK_NAME.match(name):
            report.fail(at, f"stack name {name!r} is not a valid CloudFormation stack name")
        resources = template.get("Resources") or {}
        outputs = template.get("Outputs") or {}
        if stack["resources"] != len(resources):
            report.fail(at, f"manifest says {stack['resources']} resources, template has {len(resources)}")
        if stack["outputs"] != len(outputs):
            report.fail(at, f"manifest says {stack['outputs']} outputs, template has {len(outputs)}")
        if not 1 <= len(resources) <= MAX_RESOURCES:
            report.fail(at, f"{len(resources)} resources (CloudFormation allows 1 to {MAX_RESOURCES})")
        if len(outputs) > MAX_OUTPUTS:
            report.fail(at, f"{len(outputs)} outputs (CloudFormation allows {MAX_OUTPUTS})")
        size = len(body.encode())
        if size > MAX_BODY_S3:
            report.fail(at, f"template is {size} bytes (CloudFormation allows {MAX_BODY_S3})")
        for dep in stack["depends_on"]:
            if dep not in seen:
                report.fail(at, f"depends on {dep!r}, which is not an earlier stack of the manifest")
        # Parameters carry outputs of earlier stacks of other regions (exports are regional).
        declared = set((template.get("Parameters") or {}).keys())
        wired = [p.get("name") for p in stack["parameters"]]
        if sorted(wired) != sorted(declared):
            report.fail(at, f"manifest wires parameters {sorted(wired)}, the template declares {sorted(declared)}")
        for parameter in stack["parameters"]:
            source = parameter.get("from_stack")
            if source not in seen:
                report.fail(at, f"parameter {parameter.get('name')!r} comes from {source!r}, which is not an earlier stack")
            elif source not in stack["depends_on"]:
                report.fail(at, f"parameter {parameter.get('name')!r} comes from {source!r}, which is not in depends_on")
            elif seen[source][0] == stack["region"]:
                report.fail(at, f"parameter {parameter.get('name')!r} comes from {source!r} in the same region: that is an import")
            elif parameter.get("output") not in seen[source][2]:
                report.fail(at, f"parameter {parameter.get('name')!r} reads output {parameter.get('output')!r}, which {source!r} does not have")
        # Every import is exported by a stack it depends on, in the same region.
        for name_value in imports(template):
            if not isinstance(name_value, str):
                report.fail(at, f"Fn::ImportValue of {snippet(name_value)}: vpce writes literal export names")
                continue
            found = [other for other, (_, exports, _) in seen.items() if name_value in exports]
            if not found:
                report.fail(at, f"Fn::ImportValue {name_value!r} is exported by no earlier stack")
            elif found[0] not in stack["depends_on"]:
                report.fail(at, f"imports {name_value!r} from {found[0]!r}, which is not in depends_on")
            elif seen[found[0]][0] != stack["region"]:
                report.fail(at, f"imports {name_value!r} across regions (exports are regional)")
        # Exports, with `${AWS::StackName}` (the only pseudo parameter that matters here).
        exports = []
        for key, output in outputs.items():
            export = (output.get("Export") or {}).get("Name")
            if export is None:
                continue
            if isinstance(export, dict) and isinstance(export.get("Fn::Sub"), str):
                export = export["Fn::Sub"].replace("${AWS::StackName}", name)
            exports.append(export)
        if len(set(exports)) != len(exports):
            report.fail(at, "duplicate export names")
        for other, (region, theirs, _) in seen.items():
            clash = set(exports) & set(theirs)
            if clash and region == stack["region"]:
                report.fail(at, f"exports {sorted(clash)[:3]} also exported by {other!r} (names are unique per region)")
        # Refs point at resources of the same template.
        for logical, resource in resources.items():
            for target in refs(resource.get("Properties", {})) | set(
                [resource["DependsOn"]] if isinstance(resource.get("DependsOn"), str) else resource.get("DependsOn", [])
            ):
                if target not in resources and target not in declared:
                    report.fail(at, f"{logical} refers to {target}, which is not in this template")
            # A Description on every security group rule (checkov CKV_AWS_23).
            if resource["Type"] == "AWS::EC2::SecurityGroup":
                props = resource.get("Properties", {})
                for kind in ("SecurityGroupIngress", "SecurityGroupEgress"):
                    for rule in props.get(kind, []):
                        if not rule.get("Description"):
                            report.fail(at, f"{logical}: a rule of {kind} has no Description: {snippet(rule)}")
            if resource["Type"] in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
                if not resource.get("Properties", {}).get("Description"):
                    report.fail(at, f"{logical}: rule has no Description")
        for key, output in outputs.items():
            for target in refs(output.get("Value")):
                if target not in resources:
                    report.fail(at, f"output {key} refers to {target}, which is not in this template")
        seen[name] = (stack["region"], exports, set(outputs))
    return seen


# --------------------------------------------------------------------------------------
# Deployment
# --------------------------------------------------------------------------------------


def uses_ipv6_block(value):
    """Whether a value needs the VPC's Amazon-provided IPv6 block."""
    for node in walk(value):
        getatt = node.get("Fn::GetAtt")
        attribute = getatt[1] if isinstance(getatt, list) and len(getatt) > 1 else str(getatt or "").partition(".")[2]
        if attribute == "Ipv6CidrBlocks" or "Fn::Cidr" in node:
            return True
    return False


def moto_compatible(template, report):
    """The template without what moto 5.2.5 cannot deploy, each removal reported.

    Returns the new template and the output keys removed.
    """
    template = json.loads(json.dumps(template))
    resources = template["Resources"]
    outputs = template.get("Outputs") or {}
    # IPv6: AWS::EC2::VPCCidrBlock, and every property that reads its block.
    gone = {k for k, r in resources.items() if r["Type"] == "AWS::EC2::VPCCidrBlock"}
    for logical in sorted(gone):
        report.limit("ipv6", logical)
        del resources[logical]
    for logical, resource in resources.items():
        props = resource.get("Properties", {})
        for key in [k for k, v in props.items() if uses_ipv6_block(v)]:
            report.limit("ipv6", f"{logical}.{key}")
            del props[key]
            if key == "Ipv6CidrBlock":
                props.pop("AssignIpv6AddressOnCreation", None)
        for kind in ("SecurityGroupIngress", "SecurityGroupEgress"):
            if kind in props:
                kept = [r for r in props[kind] if not uses_ipv6_block(r)]
                if len(kept) != len(props[kind]):
                    report.limit("ipv6", f"{logical}.{kind}")
                    props[kind] = kept
                # CloudFormation lets an all-protocols rule omit its ports; moto
                # 5.2.5 fails on a missing FromPort (KeyError, HTTP 500).
                for rule in props[kind]:
                    if str(rule.get("IpProtocol")) == "-1" and "FromPort" not in rule:
                        report.limit("all-protocols-ports", f"{logical}.{kind}")
                        rule["FromPort"] = -1
                        rule["ToPort"] = -1
        depends = resource.get("DependsOn")
        if depends is not None:
            depends = [depends] if isinstance(depends, str) else depends
            depends = [d for d in depends if d not in gone]
            if depends:
                resource["DependsOn"] = depends
            else:
                del resource["DependsOn"]
    # Listeners: moto takes every load balancer for an application one.
    listeners = {
        k for k, r in resources.items() if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener"
    }
    for logical in sorted(listeners):
        report.limit("listeners", logical)
        del resources[logical]
    gone |= listeners
    # Target groups: moto names each after its logical id, at most 32 characters.
    groups = [
        k for k, r in resources.items() if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup"
    ]
    for index, logical in enumerate(sorted(groups)):
        report.limit("target-groups", logical)
        if len(logical) > 32:
            resources[f"TargetGroup{index}"] = resources.pop(logical)
    # Outputs that read an endpoint's attributes (or the removed IPv6 blocks).
    endpoints = {k for k, r in resources.items() if r["Type"] == "AWS::EC2::VPCEndpoint"}
    removed = []
    for key, output in outputs.items():
        for node in walk(output.get("Value")):
            getatt = node.get("Fn::GetAtt")
            target = getatt[0] if isinstance(getatt, list) else str(getatt or "").split(".")[0]
            if target in endpoints:
                removed.append(key)
                report.limit("getatt-endpoint", key)
                break
        else:
            if refs(output.get("Value")) & gone or uses_ipv6_block(output.get("Value")):
                removed.append(key)
                report.limit("ipv6", f"output {key}")
    for key in removed:
        del outputs[key]
    if "Outputs" in template and not outputs:
        del template["Outputs"]
    return template, set(removed)


EXISTING_VPC = re.compile(r"^vpc-[0-9a-f]{8,17}$")
EXISTING_SUBNET = re.compile(r"^subnet-[0-9a-f]{8,17}$")
EXISTING_ROUTE_TABLE = re.compile(r"^rtb-[0-9a-f]{8,17}$")


# The properties where vpce writes the id of an existing VPC, subnet or route table.
ID_PROPERTIES = {"VpcId", "SubnetId", "SubnetIds", "Subnets", "RouteTableId", "RouteTableIds"}


def literal_ids(value, key=None):
    """Literal ids under the id properties of a template value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from literal_ids(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from literal_ids(v, key)
    elif isinstance(value, str) and key in ID_PROPERTIES:
        if any(p.match(value) for p in (EXISTING_VPC, EXISTING_SUBNET, EXISTING_ROUTE_TABLE)):
            yield value


def replace_ids(value, mapping, key=None):
    """`value` with the literal ids under the id properties replaced by `mapping`."""
    if isinstance(value, dict):
        return {k: replace_ids(v, mapping, k) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_ids(v, mapping, key) for v in value]
    if isinstance(value, str) and key in ID_PROPERTIES:
        return mapping.get(value, value)
    return value


def stand_in_existing(clients, stack, template, stand_ins, report):
    """The template with the existing VPCs, subnets and route tables it names replaced by
    stand-ins.

    vpce writes an existing object's id as a literal; on moto no such object exists, so
    one is created per literal id (once per build: `stand_ins` maps literal id -> moto
    id) and the template deployed with moto's ids.
    """
    literals = {v for v in literal_ids(template.get("Resources", {})) if v not in stand_ins}
    vpcs = sorted(v for v in literals if EXISTING_VPC.match(v))
    subnets = sorted(v for v in literals if EXISTING_SUBNET.match(v))
    tables = sorted(v for v in literals if EXISTING_ROUTE_TABLE.match(v))
    if not stand_ins and not literals:
        return template
    ec2 = clients("ec2", stack["region"])
    for literal in vpcs:
        stand_ins[literal] = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        report.limit("existing", literal)
    home = None
    if subnets or tables:
        # Existing subnets and route tables go into an existing VPC of the build, or a
        # stand-in of their own.
        home = next((stand_ins[k] for k in sorted(stand_ins) if EXISTING_VPC.match(k)), None)
        if home is None:
            home = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for literal in tables:
        stand_ins[literal] = ec2.create_route_table(VpcId=home)["RouteTable"]["RouteTableId"]
        report.limit("existing", literal)
    if subnets:
        taken = len([k for k in stand_ins if EXISTING_SUBNET.match(k)])
        for index, literal in enumerate(subnets, start=taken):
            # High /24s, clear of the subnets a template creates in a VPC it names.
            cidr = f"10.0.{250 - index}.0/24"
            stand_ins[literal] = ec2.create_subnet(VpcId=home, CidrBlock=cidr)["Subnet"]["SubnetId"]
            report.limit("existing", literal)
    return replace_ids(template, stand_ins)


def create(clients, stack, template, body, deadline, report, at):
    cf = clients("cloudformation", stack["region"])
    name = stack["name"]
    args = {"StackName": name}
    if stack.get("values"):
        # As `aws cloudformation deploy --parameter-overrides NAME=VALUE` would.
        args["Parameters"] = [
            {"ParameterKey": key, "ParameterValue": value} for key, value in sorted(stack["values"].items())
        ]
    if len(body.encode()) > MAX_BODY_INLINE:
        # Too large for TemplateBody: through S3, like `aws cloudformation deploy --s3-bucket`.
        s3 = clients("s3", "us-east-1")
        bucket = f"vpce-templates-{clients.account}"  # bucket names are global
        try:
            s3.create_bucket(Bucket=bucket)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        s3.put_object(Bucket=bucket, Key=stack["file"], Body=body.encode())
        args["TemplateURL"] = f"https://{bucket}.s3.amazonaws.com/{stack['file']}"
        report.count("templates sent through S3 (over 51,200 bytes)")
    else:
        args["TemplateBody"] = body
    try:
        cf.create_stack(**args)
    except Exception as e:  # noqa: BLE001 - any error is a failure to report
        crashed = " (moto crashed: its traceback is in its log)" if "Internal Server Error" in str(e) else ""
        report.fail(at, f"CreateStack failed{crashed}: {type(e).__name__}: {e}")
        return False
    while True:
        status = cf.describe_stacks(StackName=name)["Stacks"][0]
        if not status["StackStatus"].endswith("_IN_PROGRESS"):
            break
        if time.monotonic() > deadline:
            report.fail(at, f"still {status['StackStatus']} at the deadline")
            return False
        time.sleep(0.2)
    if status["StackStatus"] != "CREATE_COMPLETE":
        events = cf.describe_stack_events(StackName=name)["StackEvents"]
        reasons = [
            f"{e.get('LogicalResourceId')}: {e.get('ResourceStatus')} {e.get('ResourceStatusReason', '')}"
            for e in events
            if "FAILED" in e.get("ResourceStatus", "")
        ]
        report.fail(at, f"{status['StackStatus']} {status.get('StackStatusReason', '')} {reasons}")
        return False
    return True


def stack_resources(clients, stack, template, report, at):
    """logical id -> physical id of what moto created; reports skipped types."""
    cf = clients("cloudformation", stack["region"])
    listed = cf.describe_stack_resources(StackName=stack["name"])["StackResources"]
    physical = {}
    for r in listed:
        if r.get("ResourceStatus") != "CREATE_COMPLETE":
            report.fail(at, f"resource {r.get('LogicalResourceId')} is {r.get('ResourceStatus')}")
        if "LogicalResourceId" in r:
            physical[r["LogicalResourceId"]] = r["PhysicalResourceId"]
    resources = template["Resources"]
    if len(listed) != len(resources):
        report.fail(at, f"moto lists {len(listed)} stack resources, the template has {len(resources)}")
    skipped = set()
    for logical, resource in resources.items():
        kind = resource["Type"]
        if logical in physical:
            if kind in NOT_MODELLED:
                report.fail(
                    at,
                    f"{logical} ({kind}) was created: moto now models this type; update "
                    "NOT_MODELLED in tests/cfn/deploy.py and tests/cfn/README.md",
                )
        elif kind in NOT_MODELLED:
            skipped.add(kind)
        else:
            report.fail(at, f"{logical} ({kind}) is not among the stack's resources")
    for kind in sorted(skipped):
        report.limit("skipped", kind)
    return physical


def tags_of(items):
    return {t["Key"]: t["Value"] for t in items or [] if not t["Key"].startswith("aws:")}


def check_tags(kind, logical, props, actual, resolver, report, at):
    wanted = props.get("Tags")
    if not wanted:
        return
    wanted = tags_of(resolver.value(wanted))
    actual = tags_of(actual)
    if not actual:
        report.limit("tags", kind)
        return
    if actual != wanted:
        report.fail(at, f"{logical}: tags {actual} != template {wanted}")
    else:
        report.count("tag sets")


def expect(report, at, logical, what, actual, wanted):
    if actual != wanted:
        report.fail(at, f"{logical}: {what} is {actual!r}, the template says {wanted!r}")
        return False
    return True


def normalise_protocol(p):
    p = str(p).lower()
    return {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}.get(p, p)


def template_rules(rules, resolver, report, group_key="SourceSecurityGroupId"):
    """Rules moto models (`CidrIp`, a group), as comparable tuples; others are noted."""
    out = set()
    for rule in rules:
        rule = resolver.value(rule)
        proto = normalise_protocol(rule["IpProtocol"])
        ports = (None, None) if proto == "-1" else (rule.get("FromPort"), rule.get("ToPort"))
        if "CidrIp" in rule:
            out.add((proto, ports, "cidr", rule["CidrIp"]))
        elif group_key in rule:
            out.add((proto, ports, "group", rule[group_key]))
        else:
            report.limit("sg-ipv6")
    return out


def moto_rules(permissions):
    out = set()
    for p in permissions:
        proto = normalise_protocol(p["IpProtocol"])
        ports = (None, None) if proto == "-1" else (p.get("FromPort"), p.get("ToPort"))
        for r in p.get("IpRanges", []):
            out.add((proto, ports, "cidr", r["CidrIp"]))
        for g in p.get("UserIdGroupPairs", []):
            out.add((proto, ports, "group", g["GroupId"]))
    return out


def has_rule_descriptions(permissions):
    return any(
        r.get("Description")
        for p in permissions
        for r in p.get("IpRanges", []) + p.get("UserIdGroupPairs", [])
    )


def parse_policy(text):
    if isinstance(text, dict):
        return text
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        # moto 5.2.5 stores a CloudFormation policy as the Python repr of the dict.
        return ast.literal_eval(text)


def check_stack(clients, stack, template, physical, exports, report, at):
    region = stack["region"]
    ec2 = clients("ec2", region)
    resolver = Resolver(stack["name"], region, template, physical, exports, ec2, clients.account, stack.get("values"))
    resources = template["Resources"]

    def of(kind):
        return [(k, r.get("Properties", {})) for k, r in resources.items() if r["Type"] == kind and k in physical]

    def value(logical, what, v):
        try:
            return resolver.value(v)
        except Unresolvable as e:
            report.fail(at, f"{logical}: cannot evaluate {what} {snippet(v)}: {e}")
            return None

    ids = lambda kind: [physical[k] for k, _ in of(kind)]  # noqa: E731

    vpcs = {v["VpcId"]: v for v in ec2.describe_vpcs(VpcIds=ids("AWS::EC2::VPC"))["Vpcs"]} if of("AWS::EC2::VPC") else {}
    for logical, props in of("AWS::EC2::VPC"):
        vpc = vpcs.get(physical[logical])
        if vpc is None:
            report.fail(at, f"{logical}: VPC {physical[logical]} does not exist")
            continue
        expect(report, at, logical, "CidrBlock", vpc["CidrBlock"], value(logical, "CidrBlock", props["CidrBlock"]))
        # Asked only where the template departs from the default (support on, hostnames off).
        for attribute, prop, default in (("enableDnsSupport", "EnableDnsSupport", True), ("enableDnsHostnames", "EnableDnsHostnames", False)):
            if props.get(prop, default) != default:
                key = attribute[0].upper() + attribute[1:]
                actual = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute=attribute)[key]["Value"]
                if actual != props[prop]:
                    report.limit("vpc-dns")
                else:
                    report.count("VPC DNS attributes")
        check_tags("AWS::EC2::VPC", logical, props, vpc.get("Tags"), resolver, report, at)
        report.count("VPCs")

    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(SubnetIds=ids("AWS::EC2::Subnet"))["Subnets"]} if of("AWS::EC2::Subnet") else {}
    for logical, props in of("AWS::EC2::Subnet"):
        subnet = subnets.get(physical[logical])
        if subnet is None:
            report.fail(at, f"{logical}: subnet {physical[logical]} does not exist")
            continue
        expect(report, at, logical, "VpcId", subnet["VpcId"], value(logical, "VpcId", props["VpcId"]))
        expect(report, at, logical, "CidrBlock", subnet["CidrBlock"], value(logical, "CidrBlock", props["CidrBlock"]))
        if "AvailabilityZoneId" in props and subnet.get("AvailabilityZoneId") != props["AvailabilityZoneId"]:
            report.limit("az")
        if "AvailabilityZone" in props:
            expect(report, at, logical, "AvailabilityZone", subnet["AvailabilityZone"], value(logical, "AvailabilityZone", props["AvailabilityZone"]))
        check_tags("AWS::EC2::Subnet", logical, props, subnet.get("Tags"), resolver, report, at)
        report.count("subnets")

    tables = {t["RouteTableId"]: t for t in ec2.describe_route_tables(RouteTableIds=ids("AWS::EC2::RouteTable"))["RouteTables"]} if of("AWS::EC2::RouteTable") else {}
    for logical, props in of("AWS::EC2::RouteTable"):
        table = tables.get(physical[logical])
        if table is None:
            report.fail(at, f"{logical}: route table {physical[logical]} does not exist")
            continue
        expect(report, at, logical, "VpcId", table["VpcId"], value(logical, "VpcId", props["VpcId"]))
        check_tags("AWS::EC2::RouteTable", logical, props, table.get("Tags"), resolver, report, at)
        report.count("route tables")

    def table_of(logical, props):
        table_id = value(logical, "RouteTableId", props["RouteTableId"])
        table = tables.get(table_id)
        if table is None and table_id is not None:
            found = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"]
            table = found[0] if found else None
        if table is None:
            report.fail(at, f"{logical}: route table {table_id} does not exist")
        return table

    for logical, props in of("AWS::EC2::Route"):
        table = table_of(logical, props)
        if table is None:
            continue
        dest_key = next((k for k in ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId") if k in props), None)
        if dest_key is None:
            report.fail(at, f"{logical}: route without destination")
            continue
        dest = value(logical, dest_key, props[dest_key])
        matches = [r for r in table["Routes"] if r.get(dest_key) == dest]
        if len(matches) != 1:
            report.fail(at, f"{logical}: {len(matches)} routes to {dest} in {table['RouteTableId']}: {table['Routes']}")
            continue
        route = matches[0]
        target_keys = [k for k in ("GatewayId", "NatGatewayId", "VpcEndpointId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId") if k in props]
        for key in target_keys:
            target = value(logical, key, props[key])
            if key == "VpcEndpointId":
                actual = route.get("VpcEndpointId", route.get("GatewayId"))
                if actual is None:
                    report.limit("route-target")
                    continue
                expect(report, at, logical, key, actual, target)
            else:
                expect(report, at, logical, key, route.get(key), target)
        report.count("routes")

    for logical, props in of("AWS::EC2::SubnetRouteTableAssociation"):
        table_id = value(logical, "RouteTableId", props["RouteTableId"])
        subnet_id = value(logical, "SubnetId", props["SubnetId"])
        table = tables.get(table_id)
        associated = [a for a in (table or {}).get("Associations", []) if a.get("SubnetId") == subnet_id]
        if associated:
            report.count("subnet associations")
        else:
            report.limit("associations")
            expect(report, at, logical, "physical id", physical[logical], table_id)

    for logical, props in of("AWS::EC2::InternetGateway"):
        gateways = ec2.describe_internet_gateways(InternetGatewayIds=[physical[logical]])["InternetGateways"]
        if not gateways:
            report.fail(at, f"{logical}: internet gateway {physical[logical]} does not exist")
            continue
        check_tags("AWS::EC2::InternetGateway", logical, props, gateways[0].get("Tags"), resolver, report, at)
        report.count("internet gateways")

    for logical, props in of("AWS::EC2::VPCGatewayAttachment"):
        vpc_id = value(logical, "VpcId", props["VpcId"])
        if "InternetGatewayId" in props:
            gateway = value(logical, "InternetGatewayId", props["InternetGatewayId"])
            found = ec2.describe_internet_gateways(InternetGatewayIds=[gateway])["InternetGateways"]
            attached = [a["VpcId"] for g in found for a in g.get("Attachments", [])]
            expect(report, at, logical, "attachment", attached, [vpc_id])
            report.count("gateway attachments")

    for logical, props in of("AWS::EC2::NatGateway"):
        found = ec2.describe_nat_gateways(NatGatewayIds=[physical[logical]])["NatGateways"]
        if not found:
            report.fail(at, f"{logical}: NAT gateway {physical[logical]} does not exist")
            continue
        expect(report, at, logical, "SubnetId", found[0]["SubnetId"], value(logical, "SubnetId", props["SubnetId"]))
        check_tags("AWS::EC2::NatGateway", logical, props, found[0].get("Tags"), resolver, report, at)
        report.count("NAT gateways")

    for logical, props in of("AWS::EC2::EIP"):
        found = ec2.describe_addresses(Filters=[{"Name": "public-ip", "Values": [physical[logical]]}])["Addresses"]
        if not found:
            found = ec2.describe_addresses(AllocationIds=[physical[logical]])["Addresses"]
        if not found:
            report.fail(at, f"{logical}: elastic IP {physical[logical]} does not exist")
        else:
            report.count("elastic IPs")

    groups = {g["GroupId"]: g for g in ec2.describe_security_groups(GroupIds=ids("AWS::EC2::SecurityGroup"))["SecurityGroups"]} if of("AWS::EC2::SecurityGroup") else {}
    for logical, props in of("AWS::EC2::SecurityGroup"):
        group = groups.get(physical[logical])
        if group is None:
            report.fail(at, f"{logical}: security group {physical[logical]} does not exist")
            continue
        expect(report, at, logical, "GroupDescription", group["Description"], value(logical, "GroupDescription", props["GroupDescription"]))
        expect(report, at, logical, "VpcId", group.get("VpcId"), value(logical, "VpcId", props.get("VpcId")))
        try:
            wanted = template_rules(props.get("SecurityGroupIngress", []), resolver, report)
        except Unresolvable as e:
            report.fail(at, f"{logical}: cannot evaluate an ingress rule: {e}")
            wanted = None
        if wanted is not None:
            expect(report, at, logical, "ingress rules", sorted(moto_rules(group["IpPermissions"]), key=str), sorted(wanted, key=str))
        rules = props.get("SecurityGroupIngress", []) + props.get("SecurityGroupEgress", [])
        if any(r.get("Description") for r in rules) and not has_rule_descriptions(group["IpPermissions"] + group["IpPermissionsEgress"]):
            report.limit("rule-descriptions")
        default_egress = {("-1", (None, None), "cidr", "0.0.0.0/0")}
        actual_egress = moto_rules(group["IpPermissionsEgress"])
        if "SecurityGroupEgress" in props:
            try:
                wanted_egress = template_rules(props["SecurityGroupEgress"], resolver, report, "DestinationSecurityGroupId")
            except Unresolvable as e:
                report.fail(at, f"{logical}: cannot evaluate an egress rule: {e}")
                wanted_egress = actual_egress
            if actual_egress != wanted_egress:
                if actual_egress == default_egress:
                    report.limit("sg-egress")
                else:
                    expect(report, at, logical, "egress rules", sorted(actual_egress, key=str), sorted(wanted_egress, key=str))
        else:
            expect(report, at, logical, "egress rules (default)", actual_egress, default_egress)
        check_tags("AWS::EC2::SecurityGroup", logical, props, group.get("Tags"), resolver, report, at)
        report.count("security groups")

    balancers = of("AWS::ElasticLoadBalancingV2::LoadBalancer")
    if balancers:
        elb = clients("elbv2", region)
        found = {b["LoadBalancerArn"]: b for b in elb.describe_load_balancers(LoadBalancerArns=[physical[k] for k, _ in balancers])["LoadBalancers"]}
        for logical, props in balancers:
            balancer = found.get(physical[logical])
            if balancer is None:
                report.fail(at, f"{logical}: load balancer {physical[logical]} does not exist")
                continue
            subnet_ids = sorted(value(logical, "Subnets", props.get("Subnets", [])) or [])
            expect(report, at, logical, "subnets", sorted(z["SubnetId"] for z in balancer["AvailabilityZones"]), subnet_ids)
            if props.get("Type", "application") != balancer["Type"] or props.get("Scheme", "internet-facing") != balancer["Scheme"]:
                report.limit("lb-type")
            report.count("load balancers")

    endpoint_ids = ids("AWS::EC2::VPCEndpoint")
    endpoints = {e["VpcEndpointId"]: e for e in ec2.describe_vpc_endpoints(VpcEndpointIds=endpoint_ids)["VpcEndpoints"]} if endpoint_ids else {}
    all_tables = None
    for logical, props in of("AWS::EC2::VPCEndpoint"):
        endpoint = endpoints.get(physical[logical])
        if endpoint is None:
            report.fail(at, f"{logical}: VPC endpoint {physical[logical]} does not exist")
            continue
        kind = props.get("VpcEndpointType", "Gateway")
        expect(report, at, logical, "VpcEndpointType", endpoint["VpcEndpointType"], kind)
        expect(report, at, logical, "VpcId", endpoint["VpcId"], value(logical, "VpcId", props["VpcId"]))
        try:
            pattern, missing = resolver.pattern(props["ServiceName"])
            if not re.fullmatch(pattern, endpoint["ServiceName"]):
                report.fail(at, f"{logical}: ServiceName is {endpoint['ServiceName']!r}, the template says {snippet(props['ServiceName'])} (pattern {pattern})")
            if missing:
                if all("VPCEndpointService" in m for m in missing):
                    report.limit("service-name")
                else:
                    report.fail(at, f"{logical}: cannot evaluate ServiceName: {missing}")
        except Unresolvable as e:
            report.fail(at, f"{logical}: cannot evaluate ServiceName: {e}")
        wanted_tables = sorted(value(logical, "RouteTableIds", props.get("RouteTableIds", [])) or [])
        expect(report, at, logical, "RouteTableIds", sorted(endpoint.get("RouteTableIds", [])), wanted_tables)
        wanted_subnets = sorted(value(logical, "SubnetIds", props.get("SubnetIds", [])) or [])
        expect(report, at, logical, "SubnetIds", sorted(endpoint.get("SubnetIds", [])), wanted_subnets)
        if kind == "Interface" or "SecurityGroupIds" in props:
            wanted_groups = value(logical, "SecurityGroupIds", props.get("SecurityGroupIds", []))
            if "SecurityGroupIds" in props:
                expect(report, at, logical, "security groups", sorted(g["GroupId"] for g in endpoint.get("Groups", [])), sorted(wanted_groups or []))
        if kind == "Interface":
            # CloudFormation's default is false (the EC2 API's is true).
            expect(report, at, logical, "PrivateDnsEnabled", endpoint.get("PrivateDnsEnabled", False), props.get("PrivateDnsEnabled", False))
            if "PrivateDnsEnabled" not in props:
                report.fail(at, f"{logical}: PrivateDnsEnabled is not written (vpce always writes it)")
            if len(endpoint.get("NetworkInterfaceIds", [])) != len(wanted_subnets):
                report.fail(at, f"{logical}: {len(endpoint.get('NetworkInterfaceIds', []))} network interfaces for {len(wanted_subnets)} subnets")
        if "PolicyDocument" in props:
            wanted_policy = value(logical, "PolicyDocument", props["PolicyDocument"])
            if isinstance(wanted_policy, str):
                wanted_policy = json.loads(wanted_policy)
            try:
                expect(report, at, logical, "PolicyDocument", parse_policy(endpoint.get("PolicyDocument")), wanted_policy)
            except (ValueError, SyntaxError) as e:
                report.fail(at, f"{logical}: unreadable PolicyDocument {endpoint.get('PolicyDocument')!r}: {e}")
        if kind == "Gateway":
            # moto does model the prefix-list route a gateway endpoint adds.
            if all_tables is None:
                all_tables = {t["RouteTableId"]: t for t in ec2.describe_route_tables()["RouteTables"]}
            for table_id in wanted_tables:
                routes = [r for r in all_tables.get(table_id, {}).get("Routes", []) if r.get("GatewayId") == endpoint["VpcEndpointId"]]
                if len(routes) != 1 or not routes[0].get("DestinationPrefixListId"):
                    report.fail(at, f"{logical}: route table {table_id} has {routes} for the endpoint, wanted one prefix-list route")
                else:
                    report.count("gateway endpoint prefix-list routes")
        for prop in sorted(set(props) - ENDPOINT_READ):
            report.limit("endpoint-props", prop)
        report.count(f"{kind} endpoints")


def check_outputs(clients, stack, template, physical, exports, removed, report, at):
    cf = clients("cloudformation", stack["region"])
    described = cf.describe_stacks(StackName=stack["name"])["Stacks"][0].get("Outputs") or []
    actual = {o["OutputKey"]: o for o in described}
    ec2 = clients("ec2", stack["region"])
    resolver = Resolver(stack["name"], stack["region"], template, physical, exports, ec2, clients.account, stack.get("values"))
    listed = {}
    token = None
    while True:
        page = cf.list_exports(**({"NextToken": token} if token else {}))
        listed.update({e["Name"]: e.get("Value") for e in page["Exports"]})
        token = page.get("NextToken")
        if not token:
            break
    for key, output in (template.get("Outputs") or {}).items():
        if key in removed:
            continue
        try:
            wanted = resolver.value(output["Value"])
        except Unresolvable as e:
            skipped = {resolver.resources.get(t, {}).get("Type") for t in refs(output["Value"])} & NOT_MODELLED
            if not skipped:
                report.fail(at, f"output {key}: {e}")
            elif key not in actual:
                for kind in sorted(skipped):
                    report.limit("skipped", kind)
            else:
                # Built from a skipped resource and something else: moto writes `None`
                # in the skipped part; check the rest.
                try:
                    pattern, _ = resolver.pattern(output["Value"])
                except Unresolvable as e2:
                    report.fail(at, f"output {key}: {e2}")
                    continue
                if re.fullmatch(pattern, str(actual[key]["OutputValue"])):
                    report.limit("output-partial", key)
                    report.count("outputs")
                else:
                    report.fail(at, f"output {key} is {actual[key]['OutputValue']!r}, the template says {snippet(output['Value'])}")
            continue
        if isinstance(wanted, list):
            wanted = ",".join(str(w) for w in wanted)
        if key not in actual:
            report.fail(at, f"output {key} is missing (wanted {wanted!r})")
            continue
        expect(report, at, f"output {key}", "value", actual[key]["OutputValue"], wanted)
        export = (output.get("Export") or {}).get("Name")
        if export is not None:
            try:
                name = resolver.value(export)
            except Unresolvable as e:
                report.fail(at, f"output {key}: export name: {e}")
                continue
            if name not in listed:
                report.fail(at, f"output {key}: export {name!r} is not listed by ListExports")
            else:
                expect(report, at, f"export {name}", "value", listed[name], wanted)
                exports[name] = listed[name]
                report.count("exports")
        report.count("outputs")


# How to list what a stack may leave behind, by resource type.
LISTERS = {
    "AWS::EC2::VPC": ("describe_vpcs", "Vpcs", "VpcId"),
    "AWS::EC2::Subnet": ("describe_subnets", "Subnets", "SubnetId"),
    "AWS::EC2::SecurityGroup": ("describe_security_groups", "SecurityGroups", "GroupId"),
    "AWS::EC2::RouteTable": ("describe_route_tables", "RouteTables", "RouteTableId"),
    "AWS::EC2::VPCEndpoint": ("describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId"),
    "AWS::EC2::InternetGateway": ("describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
}


def existing_ids(ec2, types):
    """Ids of the EC2 objects of these types that exist, in one region."""
    ids = set()
    for kind in sorted(types & set(LISTERS)):
        method, key, field = LISTERS[kind]
        ids |= {item[field] for item in getattr(ec2, method)()[key]}
    return ids


def delete(clients, loaded, created, report, at):
    """Deletes the stacks in reverse order and checks what is left."""
    for stack, _, _ in reversed(loaded):
        if stack["name"] not in created:
            continue
        here = f"{at}/{stack['file']}"
        template, physical = created[stack["name"]]
        cf = clients("cloudformation", stack["region"])
        types = {r["Type"] for r in template["Resources"].values()}
        undeletable = sorted(types & NOT_DELETABLE)
        try:
            cf.delete_stack(StackName=stack["name"])
        except Exception as e:  # noqa: BLE001
            if "DependencyViolation" in str(e) and undeletable:
                for kind in undeletable:
                    report.limit("delete", kind)
                continue
            report.fail(here, f"DeleteStack failed: {type(e).__name__}: {e}")
            continue
        summaries = cf.list_stacks()["StackSummaries"]
        states = [s["StackStatus"] for s in summaries if s["StackName"] == stack["name"]]
        if "DELETE_COMPLETE" not in states:
            report.fail(here, f"after DeleteStack the stack is {states}")
            continue
        report.count("stacks deleted")
        left = existing_ids(clients("ec2", stack["region"]), types)
        for logical, resource in template["Resources"].items():
            if physical.get(logical) in left:
                if resource["Type"] in NOT_DELETABLE:
                    report.limit("delete-leaves", resource["Type"])
                else:
                    report.fail(here, f"{logical} ({resource['Type']}) {physical[logical]} is left after DeleteStack")


def wire_parameters(stack, outputs_of, loaded, report, at):
    """Fills `stack["values"]` from the outputs the manifest names, as a deployment
    script following the manifest would. An output moto drops because it does not model
    the resource behind it gets a placeholder of that resource's id format, reported as
    a limitation; any other missing output is a failure."""
    values = {}
    templates = {s["name"]: t for s, t, _ in loaded}
    for parameter in stack["parameters"]:
        source, output = parameter["from_stack"], parameter["output"]
        value = outputs_of.get(source, {}).get(output)
        if value is None:
            wanted = (templates.get(source, {}).get("Outputs") or {}).get(output, {}).get("Value")
            skipped = {
                templates[source].get("Resources", {}).get(t, {}).get("Type") for t in refs(wanted)
            } & NOT_MODELLED if wanted is not None else set()
            if not skipped:
                report.fail(at, f"parameter {parameter['name']}: stack {source!r} has no output {output!r}")
                return False
            value = "vpce-svc-0123456789abcdef0"
            report.limit("parameter-placeholder", f"{parameter['name']} ({', '.join(sorted(skipped))})")
        values[parameter["name"]] = value
        report.count("parameters wired from other regions' outputs")
    stack["values"] = values
    return True


EXISTING_GATEWAY = re.compile(r"^(tgw|vgw|pcx)-[0-9a-f]{8}([0-9a-f]{9})?$")


def with_stand_in_gateways(template, ec2, report):
    """The template with every existing gateway a route names (`TransitGatewayId`,
    `GatewayId` of a `vgw-`, `VpcPeeringConnectionId`) replaced by a stand-in of the same
    kind created on the moto server, which refuses routes to ids it does not know."""
    stand_ins = {}

    def stand_in(existing):
        if existing not in stand_ins:
            kind = existing.split("-")[0]
            if kind == "tgw":
                made = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
            elif kind == "vgw":
                made = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
            else:
                a = ec2.create_vpc(CidrBlock="100.64.0.0/16")["Vpc"]["VpcId"]
                b = ec2.create_vpc(CidrBlock="100.65.0.0/16")["Vpc"]["VpcId"]
                made = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
                    "VpcPeeringConnection"]["VpcPeeringConnectionId"]
            stand_ins[existing] = made
        return stand_ins[existing]

    template = json.loads(json.dumps(template))
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::EC2::Route":
            continue
        props = resource.get("Properties", {})
        for key in ("TransitGatewayId", "GatewayId", "VpcPeeringConnectionId"):
            value = props.get(key)
            if isinstance(value, str) and EXISTING_GATEWAY.match(value):
                report.limit("existing-gateway", f"{logical}.{key}")
                props[key] = stand_in(value)
    return template


def deploy(clients, manifest_path, timeout, report):
    at = manifest_path.parent.name
    result = load_build(manifest_path, report)
    if result is None:
        return
    manifest, loaded = result
    static_checks(manifest_path, loaded, report)
    deadline = time.monotonic() + timeout
    exports = {}
    created = {}  # stack name -> (deployed template, physical ids)
    outputs_of = {}  # stack name -> {output key: value}, as DescribeStacks gives them
    stand_ins = {}  # literal id of an existing VPC or subnet -> its stand-in on moto
    for stack, template, body in loaded:
        here = f"{at}/{stack['file']}"
        if not wire_parameters(stack, outputs_of, loaded, report, here):
            break
        deployed, removed = moto_compatible(template, report)
        deployed = stand_in_existing(clients, stack, deployed, stand_ins, report)
        deployed = with_stand_in_gateways(deployed, clients("ec2", stack["region"]), report)
        if deployed != template:
            body = json.dumps(deployed, indent=2)
        if not create(clients, stack, deployed, body, deadline, report, here):
            break
        report.count("stacks created")
        described = clients("cloudformation", stack["region"]).describe_stacks(StackName=stack["name"])
        outputs_of[stack["name"]] = {
            o["OutputKey"]: o.get("OutputValue") for o in described["Stacks"][0].get("Outputs") or []
        }
        physical = stack_resources(clients, stack, deployed, report, here)
        created[stack["name"]] = (deployed, physical)
        try:
            check_stack(clients, stack, deployed, physical, exports, report, here)
            check_outputs(clients, stack, deployed, physical, exports, removed, report, here)
        except Exception as e:  # noqa: BLE001 - report and go on with the next build
            report.fail(here, f"checking raised {type(e).__name__}: {e}")
    delete(clients, loaded, created, report, at)


def print_report(label, report, started):
    took = time.monotonic() - started
    checked = ", ".join(f"{n} {what}" for what, n in sorted(report.checked.items()))
    print(f"== {label}: {'FAILED' if report.failures else 'ok'} in {took:.1f} s; checked {checked or 'nothing'}")
    for failure in report.failures:
        print(f"   FAIL {failure}")
    sys.stdout.flush()


def print_limits(met):
    """What moto could not check, once for all builds: key -> (builds, details)."""
    if not met:
        return
    print("Not checked: what moto 5.2.5's CloudFormation layer does not model, and the builds that met it:")
    for key, (builds, details) in sorted(met.items()):
        shown = sorted(details)
        joined = ", ".join(shown[:6]) + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")
        text = LIMITS[key].replace("{types}", joined).replace("{props}", joined).replace("{outputs}", joined)
        names = sorted(builds)
        where = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        print(f"  - {text} [{len(names)} builds: {where}]")
    sys.stdout.flush()


def same_templates(json_manifest, yaml_manifest):
    from cfnlint.decode import cfn_yaml

    failures = []
    a = json.loads(json_manifest.read_text())
    b = json.loads(yaml_manifest.read_text())
    if b.get("format") != "yaml":
        failures.append(f"{yaml_manifest}: format is {b.get('format')!r}")
    strip = lambda m: [{k: v for k, v in s.items() if k != "file"} for s in m["stacks"]]  # noqa: E731
    if strip(a) != strip(b):
        failures.append(f"the manifests differ beyond file names: {strip(a)} vs {strip(b)}")
    for sa, sb in zip(a["stacks"], b["stacks"]):
        left = json.loads((json_manifest.parent / sa["file"]).read_text())
        right = cfn_yaml.loads((yaml_manifest.parent / sb["file"]).read_text())
        # Plain dicts and lists, key order kept; a YAML 1.1 timestamp or other non-JSON
        # scalar shows as `<date 2012-10-17>`.
        right = json.loads(json.dumps(right, default=lambda o: f"<{type(o).__name__} {o}>"))
        if left != right:
            found = differences(left, right)
            failures.append(f"{yaml_manifest.parent.name}/{sb['file']} does not parse to {sa['file']}: " + "; ".join(found))
        elif json.dumps(left) != json.dumps(right):
            failures.append(f"{yaml_manifest.parent.name}/{sb['file']}: same content as {sa['file']}, different key order")
    return failures


def differences(a, b, path="$", out=None):
    """Paths where two JSON values differ, at most ten."""
    out = [] if out is None else out
    if len(out) >= 10 or a == b:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'JSON' if key in a else 'YAML'}")
            else:
                differences(a[key], b[key], f"{path}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{i}]", out)
    else:
        out.append(f"{path}: JSON {snippet(a, 200)}, YAML {snippet(b, 200)}")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoint", help="the moto server, http://127.0.0.1:PORT")
    parser.add_argument("--manifest", action="append", type=Path, default=[], help="a build's manifest.json (repeatable)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per build")
    parser.add_argument("--same-templates", nargs=2, type=Path, metavar=("JSON_MANIFEST", "YAML_MANIFEST"), action="append", default=[])
    args = parser.parse_args()

    failed = 0
    for json_manifest, yaml_manifest in args.same_templates:
        failures = same_templates(json_manifest, yaml_manifest)
        print(f"== YAML {yaml_manifest.parent.name}: {'FAILED' if failures else 'parses to the JSON templates'}")
        for failure in failures:
            print(f"   FAIL {failure}")
        failed += bool(failures)
    if args.manifest:
        if not args.endpoint or not re.match(r"^http://127\.0\.0\.1:\d+$", args.endpoint):
            parser.error("--endpoint must be http://127.0.0.1:PORT")
        clients = Clients(args.endpoint)
        met = {}
        for index, manifest in enumerate(args.manifest):
            clients.account = str(FIRST_ACCOUNT + index)
            report = Report()
            started = time.monotonic()
            try:
                deploy(clients, manifest, args.timeout, report)
            except Exception as e:  # noqa: BLE001
                report.fail(str(manifest), f"{type(e).__name__}: {e}")
            print_report(manifest.parent.name, report, started)
            failed += bool(report.failures)
            for key, details in report.limits.items():
                builds, all_details = met.setdefault(key, (set(), set()))
                builds.add(manifest.parent.name)
                all_details.update(details)
        print_limits(met)
    if failed:
        print(f"{failed} build(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
