//! The canonical layout, one snapshot per kind of input: each shows the input and what
//! `format_source` makes of it, and checks that formatting again changes nothing.

use vpce_fmt::{format_source, FormatError};

fn formatted(input: &str) -> String {
    let output = format_source(input).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        format_source(&output).unwrap(),
        output,
        "formatting is not idempotent"
    );
    format!("{input}\n----- formatted -----\n{output}")
}

#[test]
fn indentation_and_spacing() {
    insta::assert_snapshot!(formatted(
        "region=\"eu-west-1\"\nvpc \"main\"{\ncidr=\"10.0.0.0/16\"\n      tags={Name=upper( \"a\" ),Team=\"net\"}\n}\n"
    ));
}

#[test]
fn alignment_runs_end_at_blank_lines_comments_blocks_and_multi_line_values() {
    insta::assert_snapshot!(formatted(
        r#"endpoint "s3" {
  type = "gateway"
  service = "s3"

  vpc = vpc.main
  # the route tables of every private subnet
  route_tables = [route_table.a]
  private_dns = true
  subnet_ids = [
    subnet.a.id,
    subnet.b.id,
  ]
  policy = jsonencode({ a = 1 })
  security_groups = [security_group.endpoints]
  listener {
    port = 443
  }
  x = 1
}
"#
    ));
}

#[test]
fn comments_before_after_and_inline_are_kept_in_place() {
    insta::assert_snapshot!(formatted(
        r#"# The platform network.
// owned by the network team
/* a block
   comment */
region = "eu-west-1" # where it runs
vpc "main" { # the only VPC
  cidr = "10.0.0.0/16"     // a /16
  dns_hostnames = true # needed for private DNS
    # a comment on its own line, indented wrongly
  ipv6 = false   /* no IPv6 yet */
}
# the end
"#
    ));
}

#[test]
fn nested_blocks_objects_and_lists() {
    insta::assert_snapshot!(formatted(
        r#"security_group "endpoints" {
vpc = vpc.main
ingress {
protocol = "tcp"
ports = 443
cidrs = [vpc.main.cidr,
"10.1.0.0/16"]
}
egress { protocol = "-1" }
}
endpoint "api" {
  policy = {
  Version = "2012-10-17"
  Statement = [{
  Effect = "Allow"
  Action = ["s3:GetObject", "s3:PutObject"]
  }, {
  Effect = "Deny"
  Principal = "*"
  }]
  }
  tags = {}
  empty = []
}
"#
    ));
}

#[test]
fn heredocs_and_templates_are_untouched() {
    insta::assert_snapshot!(formatted(
        "locals {\n  policy = <<EOT\n{\n    \"Version\":   \"2012-10-17\"   \nEOT\n  indented = <<-EOT\n      keep   these    spaces\n    EOT\n  name = \"${ var.env }-  ${upper(\"x ${ var.y }\")}\"\n  n = 1\n}\n"
    ));
}

#[test]
fn blank_lines_collapse_and_blocks_are_separated() {
    insta::assert_snapshot!(formatted(
        "\n\n\nregion = \"eu-west-1\"\n\n\n\nvpc \"a\" {\n\n  cidr = \"10.0.0.0/16\"\n\n}\nvpc \"b\" {\n  cidr = \"10.1.0.0/16\"\n  route {\n    destination = \"0.0.0.0/0\"\n  }\n  route {\n    destination = \"10.0.0.0/8\"\n  }\n  # the last route\n  route {\n    destination = \"10.9.0.0/16\"\n  }\n}\n\n\n"
    ));
}

#[test]
fn expressions_keep_their_meaning() {
    insta::assert_snapshot!(formatted(
        r#"locals {
  a = -1
  b = 2-1
  c = !var.x&&var.y
  d = var.n>=2?"big":"small"
  e = {for k,v in var.m:k=>v if v!=null}
  f = {for s in [ "a","b" ]:s=>upper(s)}
  g = var.list[*].id
  h = concat(var.a,var.b...)
  i = var.m["key"][0]
  j = (1+2)*3
  k = cidrsubnet(vpc.main.cidr,8,- 1)
  l = [for x in (var.xs) : x]
}
"#
    ));
}

#[test]
fn crlf_and_tabs_become_lf_and_spaces() {
    let output = format_source("vpc \"a\" {\r\n\tcidr\t=\t\"10.0.0.0/16\"\r\n}").unwrap();
    assert_eq!(output, "vpc \"a\" {\n  cidr = \"10.0.0.0/16\"\n}\n");
}

#[test]
fn canonical_text_and_empty_files_are_unchanged() {
    assert_eq!(format_source("").unwrap(), "");
    assert_eq!(format_source("\n\n  \n").unwrap(), "");
    let canonical = "region = \"eu-west-1\"\n\nvpc \"a\" {\n  cidr = \"10.0.0.0/16\"\n}\n";
    assert_eq!(format_source(canonical).unwrap(), canonical);
}

#[test]
fn a_file_that_does_not_parse_gets_the_check_diagnostic() {
    let Err(FormatError::Syntax(diagnostic)) =
        format_source("vpc \"main\" {\n  cidr \"10.0.0.0/16\"\n}\n")
    else {
        panic!("a syntax error must be refused");
    };
    assert_eq!(diagnostic.code, vpce_diagnostics::Code::SyntaxError);
    assert!(
        diagnostic
            .help
            .as_deref()
            .unwrap_or("")
            .contains("needs `=`"),
        "{diagnostic:?}"
    );
}
