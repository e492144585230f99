# Centralised traffic inspection with a Gateway Load Balancer, in eu-west-1.
#
#   security.hcl      the appliance VPC: gateway load balancer in front of the
#                     firewall fleet, published as endpoint service "inspection"
#   workload.hcl      a VPC with public application subnets whose traffic, in
#                     both directions, passes through a GWLB endpoint in the
#                     same AZ before it reaches the internet gateway
#   expectations.hcl  the application subnets still reach the internet
#
# Both VPCs live in account 111122223333 here; in a real landing zone the
# appliance VPC usually sits in a security account and the workload VPC in an
# application account allowed by the service's `allowed_principals`.

region  = "eu-west-1"
account = "111122223333"

default_tags = {
  Project   = "edge-inspection"
  ManagedBy = "vpce"
}
