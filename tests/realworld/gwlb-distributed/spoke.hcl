# ---------------------------------------------------------------------------
# Spoke VPC (DistributedArchitectureSpokeVpc2Az.yaml)
# ---------------------------------------------------------------------------

vpc "spoke" {
  cidr          = "10.0.0.0/24"
  dns_hostnames = true
  tags = {
    Name = "spoke-vpc"
  }
}

internet_gateway "spoke" {
  vpc = vpc.spoke
}

# The GWLB endpoints' subnets go straight to the internet gateway.
route_table "gwlbe_1" {
  vpc = vpc.spoke
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.spoke
  }
}

route_table "gwlbe_2" {
  vpc = vpc.spoke
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.spoke
  }
}

subnet "gwlbe_1" {
  vpc         = vpc.spoke
  az          = "usw2-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.gwlbe_1
}

subnet "gwlbe_2" {
  vpc         = vpc.spoke
  az          = "usw2-az2"
  cidr        = "10.0.0.16/28"
  route_table = route_table.gwlbe_2
}

endpoint "gwlbe_1" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.spoke
  subnets = [subnet.gwlbe_1]
}

endpoint "gwlbe_2" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.spoke
  subnets = [subnet.gwlbe_2]
}

# Application subnets send the access location (0.0.0.0/0 by default) to the
# GWLB endpoint of their own AZ.
route_table "application_1" {
  vpc = vpc.spoke
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_1
  }
}

route_table "application_2" {
  vpc = vpc.spoke
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_2
  }
}

subnet "application_1" {
  vpc         = vpc.spoke
  az          = "usw2-az1"
  cidr        = "10.0.0.32/28"
  route_table = route_table.application_1
}

subnet "application_2" {
  vpc         = vpc.spoke
  az          = "usw2-az2"
  cidr        = "10.0.0.48/28"
  route_table = route_table.application_2
}

# Ingress routing: the internet gateway's edge table returns traffic for each
# application subnet through the GWLB endpoint of that subnet's AZ.
route_table "igw_edge" {
  vpc  = vpc.spoke
  edge = internet_gateway.spoke
  route {
    destination = "10.0.0.32/28"
    target      = endpoint.gwlbe_1
  }
  route {
    destination = "10.0.0.48/28"
    target      = endpoint.gwlbe_2
  }
}

security_group "application" {
  vpc = vpc.spoke
  ingress {
    description = "TCP from the access location"
    protocol    = "tcp"
    ports       = "0-65535"
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "ICMP from the access location"
    protocol    = "icmp"
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "UDP from the access location"
    protocol    = "udp"
    ports       = "0-65535"
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "Everything from inside the spoke VPC"
    protocol    = "-1"
    cidrs       = [vpc.spoke.cidr]
  }
}

endpoint "spoke_ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.spoke
  subnets         = [subnet.application_1, subnet.application_2]
  security_groups = [security_group.application]
  private_dns     = true
}

endpoint "spoke_ec2messages" {
  type            = "interface"
  service         = "ec2messages"
  vpc             = vpc.spoke
  subnets         = [subnet.application_1, subnet.application_2]
  security_groups = [security_group.application]
  private_dns     = true
}

endpoint "spoke_ssmmessages" {
  type            = "interface"
  service         = "ssmmessages"
  vpc             = vpc.spoke
  subnets         = [subnet.application_1, subnet.application_2]
  security_groups = [security_group.application]
  private_dns     = true
}

# The spoke template's Outputs about what is translated here.
output "spoke_vpc_cidr" {
  value = vpc.spoke.cidr
}

output "spoke_vpc_id" {
  value = vpc.spoke.id
}

output "spoke_gwlb_vpc_endpoint_1_id" {
  value = endpoint.gwlbe_1.id
}

output "spoke_gwlb_vpc_endpoint_2_id" {
  value = endpoint.gwlbe_2.id
}
