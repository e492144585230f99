# Egress inspection in one VPC with "VPC routing enhancements": application
# subnets send 0.0.0.0/0 to the GWLB endpoint of their AZ, the endpoint subnets
# send it to the NAT gateway of their AZ, and each public subnet's route table
# replaces its local route (the VPC CIDR) with the GWLB endpoint, so return
# traffic from the NAT gateway is inspected too. The inspection VPC's Gateway
# Load Balancer and endpoint service (InspectionVpc.yaml) are included so the
# endpoints have a service. Translated from aws-samples/aws-gateway-load-
# balancer-code-samples, vpc_routing_enhancement_architectures (see SOURCE.md).

region  = "us-east-1"
account = "111122223333"

# ---------------------------------------------------------------------------
# Inspection VPC: the appliances behind a Gateway Load Balancer
# ---------------------------------------------------------------------------

vpc "inspection" {
  cidr          = "192.168.1.0/24"
  dns_hostnames = true
}

route_table "inspection" {
  vpc = vpc.inspection
}

subnet "inspection_1" {
  vpc         = vpc.inspection
  az          = "use1-az1"
  cidr        = "192.168.1.0/28"
  route_table = route_table.inspection
}

subnet "inspection_2" {
  vpc         = vpc.inspection
  az          = "use1-az2"
  cidr        = "192.168.1.16/28"
  route_table = route_table.inspection
}

load_balancer "appliances" {
  type    = "gateway"
  subnets = [subnet.inspection_1, subnet.inspection_2]
  # The GENEVE listener to the appliances (instance targets in the source; made-up
  # addresses of their subnets here).
  listener {
    targets = [
      cidrhost(subnet.inspection_1.cidr, 10),
      cidrhost(subnet.inspection_2.cidr, 10),
    ]
  }
}

endpoint_service "inspection" {
  load_balancers      = [load_balancer.appliances]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}
