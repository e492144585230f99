//! `dynamic` nested blocks: one nested block per element of `for_each`, built exactly as
//! the blocks written out; misuse gives one diagnostic at its cause.

use vpce_tests::render;

const NETWORK: &str = "region = \"eu-west-1\"\n\nvpc \"main\" {\n  cidr = \"10.0.0.0/16\"\n}\n";

fn templates(text: &str) -> Vec<serde_json::Value> {
    let outcome = vpce_driver::check_text(text);
    assert!(!outcome.has_errors(), "{}", render(&outcome));
    let build = vpce_emit_cfn::build(
        &outcome.valid_model().expect("no errors"),
        &Default::default(),
    )
    .unwrap();
    build.stacks.into_iter().map(|s| s.template).collect()
}

#[test]
fn dynamic_blocks_build_as_the_blocks_written_out() {
    let dynamic = format!(
        "{NETWORK}{}",
        r#"
locals {
  rules = { https = 443, dns = 53 }
}

security_group "endpoints" {
  vpc = vpc.main
  dynamic "ingress" {
    for_each = local.rules
    content {
      protocol    = "tcp"
      ports       = ingress.value
      cidrs       = [vpc.main.cidr]
      description = "allow ${ingress.key}"
    }
  }
  dynamic "egress" {
    for_each = ["10.1.0.0/16", "10.2.0.0/16"]
    iterator = net
    content {
      protocol    = "tcp"
      ports       = 443
      cidrs       = [net.value]
      description = "to network ${net.key}"
    }
  }
}
"#
    );
    // Maps in key order (`dns` before `https`), lists in order with their index as key.
    let written = format!(
        "{NETWORK}{}",
        r#"
security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol    = "tcp"
    ports       = 53
    cidrs       = ["10.0.0.0/16"]
    description = "allow dns"
  }
  ingress {
    protocol    = "tcp"
    ports       = 443
    cidrs       = ["10.0.0.0/16"]
    description = "allow https"
  }
  egress {
    protocol    = "tcp"
    ports       = 443
    cidrs       = ["10.1.0.0/16"]
    description = "to network 0"
  }
  egress {
    protocol    = "tcp"
    ports       = 443
    cidrs       = ["10.2.0.0/16"]
    description = "to network 1"
  }
}
"#
    );
    assert_eq!(templates(&dynamic), templates(&written));
}

#[test]
fn misuse_gives_one_diagnostic_at_its_cause() {
    let text = format!(
        "{NETWORK}{}",
        r#"
security_group "a" {
  vpc = vpc.main
  # Not a nested block of a security group.
  dynamic "ingres" {
    for_each = [443]
    content {
      protocol = "tcp"
      ports    = 443
    }
  }
  # No `content`.
  dynamic "ingress" {
    for_each = [443]
  }
  # No `for_each`.
  dynamic "egress" {
    content {
      protocol = "tcp"
      ports    = 443
    }
  }
  # Not a list or a map.
  dynamic "ingress" {
    for_each = 443
    content {
      protocol = "tcp"
      ports    = 443
    }
  }
}
"#
    );
    let outcome = vpce_driver::check_text(&text);
    insta::assert_snapshot!(render(&outcome));
}
