# Misuses of `for` expressions, splats and collection functions: each is reported once,
# at the expression or argument that is wrong.
region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

locals {
  subnets_by_az = { a = { cidr = "10.0.1.0/24" }, b = { cidr = "10.0.2.0/24" } }
  services      = ["ssm", "kms", "ssm"]

  splat_on_map   = local.subnets_by_az[*].cidr
  over_string    = [for c in "ssm,kms" : upper(c)]
  hides_vpc      = [for vpc in local.services : vpc]
  duplicate_keys = { for s in local.services : s => "com.amazonaws.eu-west-1.${s}" }
  not_a_bool     = [for s in local.services : s if length(s)]
  keys_of_list   = keys(local.services)
  missing_key    = lookup({ ssm = 443 }, "kms")
  empty_element  = element([], 0)
  huge_range     = range(0, 1000000)
  zero_step      = range(0, 10, 0)
  uneven_zipmap  = zipmap(local.services, [443, 443])
  set_of_object  = toset(local.subnets_by_az)
}
