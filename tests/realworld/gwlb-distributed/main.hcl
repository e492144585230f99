# GWLB distributed inspection: an appliance VPC publishes its Gateway Load
# Balancer as an endpoint service; a spoke VPC puts one GWLB endpoint in each AZ
# and steers both directions of its internet traffic through it (application
# subnet -> GWLB endpoint -> IGW, and IGW edge table -> GWLB endpoint ->
# application subnet). Translated from aws-samples/aws-gateway-load-balancer-
# code-samples, aws-cloudformation/distributed_architecture (see SOURCE.md).

region  = "us-west-2"
account = "111122223333"

# ---------------------------------------------------------------------------
# Appliance VPC (DistributedArchitectureApplianceVpc2Az.yaml)
# ---------------------------------------------------------------------------

vpc "appliance" {
  cidr          = "192.168.1.0/24"
  dns_hostnames = true
  tags = {
    Name = "appliance-vpc"
  }
}

internet_gateway "appliance" {
  vpc = vpc.appliance
}

route_table "appliance_public" {
  vpc = vpc.appliance
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.appliance
  }
}

subnet "appliance_public_1" {
  vpc         = vpc.appliance
  az          = "usw2-az1"
  cidr        = "192.168.1.0/28"
  route_table = route_table.appliance_public
}

subnet "appliance_public_2" {
  vpc         = vpc.appliance
  az          = "usw2-az2"
  cidr        = "192.168.1.16/28"
  route_table = route_table.appliance_public
}

# SSH, ICMP and the health check from the access location; all from the VPC.
security_group "appliance" {
  vpc = vpc.appliance
  ingress {
    description = "SSH from the access location"
    protocol    = "tcp"
    ports       = 22
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "ICMP from the access location"
    protocol    = "icmp"
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "HTTP health checks"
    protocol    = "tcp"
    ports       = 80
    cidrs       = ["0.0.0.0/0"]
  }
  ingress {
    description = "Everything from inside the appliance VPC"
    protocol    = "-1"
    cidrs       = [vpc.appliance.cidr]
  }
}

load_balancer "gwlb" {
  type    = "gateway"
  subnets = [subnet.appliance_public_1, subnet.appliance_public_2]
  tags = {
    Name = "gwlb1"
  }
  # The GENEVE listener to the appliance instances (instance targets in the source;
  # made-up addresses of their subnets here).
  listener {
    targets = [
      cidrhost(subnet.appliance_public_1.cidr, 10),
      cidrhost(subnet.appliance_public_2.cidr, 10),
    ]
  }
}

# ConnectionAcceptance defaults to "false" in the template.
endpoint_service "inspection" {
  load_balancers      = [load_balancer.gwlb]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}

# Session Manager reaches the appliances privately.
endpoint "appliance_ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.appliance
  subnets         = [subnet.appliance_public_1, subnet.appliance_public_2]
  security_groups = [security_group.appliance]
  private_dns     = true
}

endpoint "appliance_ec2messages" {
  type            = "interface"
  service         = "ec2messages"
  vpc             = vpc.appliance
  subnets         = [subnet.appliance_public_1, subnet.appliance_public_2]
  security_groups = [security_group.appliance]
  private_dns     = true
}

endpoint "appliance_ssmmessages" {
  type            = "interface"
  service         = "ssmmessages"
  vpc             = vpc.appliance
  subnets         = [subnet.appliance_public_1, subnet.appliance_public_2]
  security_groups = [security_group.appliance]
  private_dns     = true
}

# The template's Outputs about what is translated here (the appliances' public IPs
# are EC2 instances, which vpce does not describe).
output "appliance_vpc_cidr" {
  description = "Appliance VPC CIDR"
  value       = vpc.appliance.cidr
}

output "appliance_vpc_id" {
  description = "Appliance VPC ID"
  value       = vpc.appliance.id
}

output "appliance_public_subnet_1_id" {
  description = "Appliance VPC Public Subnet 1 ID"
  value       = subnet.appliance_public_1.id
}

output "appliance_public_subnet_2_id" {
  description = "Appliance VPC Public Subnet 2 ID"
  value       = subnet.appliance_public_2.id
}

output "appliance_sg_id" {
  description = "Appliance VPC Security Group ID"
  value       = security_group.appliance.id
}

output "appliance_gwlb_arn" {
  description = "Appliance VPC GWLB ARN"
  value       = load_balancer.gwlb.arn
}

output "appliance_vpc_endpoint_service_id" {
  description = "Appliance VPC Endpoint Service ID"
  value       = endpoint_service.inspection.id
}

output "appliance_vpc_endpoint_service_name" {
  description = "Appliance VPC Endpoint Service Name"
  value       = endpoint_service.inspection.service_name
}
