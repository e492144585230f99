# A SaaS provider puts PrivateLink in front of an existing internet-facing
# Application Load Balancer: an internal Network Load Balancer in the same
# VPC's private subnets (the ALB is its one target), published as an endpoint
# service with a private DNS name. Translated from aws-samples/private-saas-
# with-aws-privatelink, privatelink_nlb_alb/terraform (see SOURCE.md).

region = "us-east-1"

# var.domain_name: the provider's domain, verified through Route 53.
variable "domain_name" {
  type    = string
  default = "saas.example.com"
}

# var.vpc_id, var.subnet_ids: the VPC and private subnets of the existing ALB.
vpc "provider" {
  id   = "vpc-0aa11bb22cc33dd44"
  cidr = "10.10.0.0/16"
}

subnet "private_a" {
  id   = "subnet-0aa11bb22cc33dd45"
  vpc  = vpc.provider
  az   = "use1-az1"
  cidr = "10.10.1.0/24"
}

subnet "private_b" {
  id   = "subnet-0aa11bb22cc33dd46"
  vpc  = vpc.provider
  az   = "use1-az2"
  cidr = "10.10.2.0/24"
}

# aws_security_group.allow_tls: 443 from anywhere (the IPv6 half, ::/0, is left
# out: the VPC has no IPv6 block here).
security_group "allow_tls" {
  vpc         = vpc.provider
  description = "Allow TLS inbound traffic"
  ingress {
    description = "Allow 443/tcp from anywhere"
    protocol    = "tcp"
    ports       = 443
    cidrs       = ["0.0.0.0/0"]
  }
}

load_balancer "nlb" {
  type            = "network"
  subnets         = [subnet.private_a, subnet.private_b]
  security_groups = [security_group.allow_tls]
  # aws_lb_listener.this: TCP 443 to the ALB. vpce has IP targets only: the ALB's
  # private addresses (made up, one per subnet) stand for `target_type = "alb"`.
  listener {
    port     = 443
    protocol = "TCP"
    targets  = ["10.10.1.100", "10.10.2.100"]
  }
}

endpoint_service "saas" {
  load_balancers             = [load_balancer.nlb]
  acceptance_required        = false
  private_dns_name           = var.domain_name
  supported_ip_address_types = ["ipv4"]
}

# outputs.tf: what the provider gives its consumers.
output "vpc_endpoint_service_id" {
  value = endpoint_service.saas.id
}

output "vpc_endpoint_service_name" {
  value = endpoint_service.saas.service_name
}

output "private_dns_name" {
  value = var.domain_name
}
