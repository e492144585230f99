# On-premises servers (Equinix Metal) reach Amazon S3 privately: Equinix Fabric
# and AWS Direct Connect (private virtual interface, Direct Connect gateway,
# virtual private gateway) into the region's default VPC, where an interface
# endpoint for S3 serves them; the bucket only admits that endpoint.
# Translated from equinix-labs/terraform-equinix-metal-fcr-aws-privatelink-s3
# (see SOURCE.md).

region = "us-west-1"

# aws_default_vpc: the region's default VPC, which exists already.
vpc "default" {
  id            = "vpc-0a1b2c3d4e5f60718"
  cidr          = "172.31.0.0/16"
  dns_hostnames = true
  tags = {
    Name = "Default VPC"
  }
}

# data.aws_subnets.this.ids[0]: the first default subnet.
subnet "default_a" {
  id          = "subnet-0a1b2c3d4e5f60718"
  vpc         = vpc.default
  az          = "usw1-az1"
  cidr        = "172.31.0.0/20"
  route_table = route_table.main
}

# The default VPC's main route table, into which the virtual private gateway
# propagates the on-premises routes learned over Direct Connect.
route_table "main" {
  id  = "rtb-0a1b2c3d4e5f60718"
  vpc = vpc.default
  route {
    destination = "101.1.1.0/31"
    target      = remote_network.metal
  }
}

# The Metal server's BGP peering subnet, reached over Direct Connect.
remote_network "metal" {
  vpc     = vpc.default
  via     = "direct_connect"
  cidrs   = ["101.1.1.0/31"]
  gateway = "vgw-0a1b2c3d4e5f60718"
}

security_group "s3_endpoint" {
  vpc = vpc.default
  ingress {
    description = "All traffic from the Metal BGP peer subnet"
    protocol    = "-1"
    cidrs       = ["101.1.1.0/31"]
  }
}

# Private DNS is off: the on-premises side uses the endpoint's own DNS names.
endpoint "s3" {
  type            = "interface"
  service         = "s3"
  vpc             = vpc.default
  subnets         = [subnet.default_a]
  security_groups = [security_group.s3_endpoint]
  private_dns     = false
}

expect "metal_reaches_s3_privately" {
  from    = remote_network.metal
  to      = "s3"
  private = true
}

# outputs.tf: `aws_s3_endpoint_url` is the endpoint's first DNS name with `*`
# replaced by `https://bucket`; vpce has no `replace` or indexing, so the output is
# the endpoint's DNS names.
output "aws_s3_endpoint_dns_names" {
  value = endpoint.s3.dns_names
}
