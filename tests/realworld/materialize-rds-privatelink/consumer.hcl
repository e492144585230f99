# Materialize's side (README, "CREATE CONNECTION ... TO AWS PRIVATELINK"):
# an interface endpoint to the service in Materialize's VPC. Its layout is not
# public: one private subnet per AZ of the load balancer is assumed.

vpc "materialize" {
  cidr          = "10.200.0.0/16"
  dns_hostnames = true
}

route_table "materialize" {
  vpc = vpc.materialize
}

subnet "materialize_a" {
  vpc         = vpc.materialize
  az          = "use1-az1"
  cidr        = "10.200.1.0/24"
  route_table = route_table.materialize
}

subnet "materialize_b" {
  vpc         = vpc.materialize
  az          = "use1-az2"
  cidr        = "10.200.2.0/24"
  route_table = route_table.materialize
}

security_group "postgres_endpoint" {
  vpc = vpc.materialize
  ingress {
    description = "PostgreSQL from the Materialize VPC"
    protocol    = "tcp"
    ports       = 5432
    cidrs       = [vpc.materialize.cidr]
  }
}

endpoint "mz_rds" {
  type            = "interface"
  service         = endpoint_service.mz_rds
  vpc             = vpc.materialize
  subnets         = [subnet.materialize_a, subnet.materialize_b]
  security_groups = [security_group.postgres_endpoint]
}

# The design's intent once the owner has accepted the connection: Materialize
# reaches the database privately. Until then the connection is pending (V607; see
# reachability.txt), so the only expectation vpce can hold before acceptance is that
# nothing else opens a path: no internet from the consumer's subnets.
expect "materialize_has_no_internet" {
  from      = subnet.materialize_a
  to        = "internet"
  reachable = false
}
