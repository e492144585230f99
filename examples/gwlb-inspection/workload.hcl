# ---------------------------------------------------------------------------
# Workload VPC
# ---------------------------------------------------------------------------
# Two AZs, each with:
#   - an inspection subnet (/28) holding only that AZ's GWLB endpoint;
#   - an application subnet (/24) with the public-facing servers.
#
# Outbound:  app subnet --0.0.0.0/0--> GWLB endpoint (same AZ) --> firewall
#            --> back to the endpoint --> inspection subnet table --> IGW
# Inbound:   IGW --edge route table: app subnet CIDR--> GWLB endpoint (same AZ)
#            --> firewall --> back to the endpoint --> local route --> app
#
# The endpoints and the servers they protect are in different subnets: a GWLB
# endpoint's own subnet must not route to that endpoint, or traffic loops.

vpc "workload" {
  cidr          = "10.10.0.0/16"
  dns_hostnames = true
  tags = {
    Name = "workload"
  }
}

internet_gateway "main" {
  vpc = vpc.workload
  tags = {
    Name = "workload-igw"
  }
}

# --- Inspection subnets: one per AZ, one GWLB endpoint each ----------------

subnet "inspection_a" {
  vpc         = vpc.workload
  az          = "euw1-az1"
  cidr        = "10.10.0.0/28"
  route_table = route_table.inspection
  tags = {
    Name = "workload-inspection-euw1-az1"
  }
}

subnet "inspection_b" {
  vpc         = vpc.workload
  az          = "euw1-az2"
  cidr        = "10.10.0.16/28"
  route_table = route_table.inspection
  tags = {
    Name = "workload-inspection-euw1-az2"
  }
}

# --- Application subnets ----------------------------------------------------

subnet "app_a" {
  vpc         = vpc.workload
  az          = "euw1-az1"
  cidr        = "10.10.1.0/24"
  route_table = route_table.app_a
  tags = {
    Name = "workload-app-euw1-az1"
  }
}

subnet "app_b" {
  vpc         = vpc.workload
  az          = "euw1-az2"
  cidr        = "10.10.2.0/24"
  route_table = route_table.app_b
  tags = {
    Name = "workload-app-euw1-az2"
  }
}

# --- GWLB endpoints: exactly one subnet each, one per AZ --------------------
# No security groups, private DNS or policy on these: a GWLB endpoint is a
# route target that hands packets to the load balancer unchanged.

endpoint "gwlbe_a" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.workload
  subnets = [subnet.inspection_a]
  tags = {
    Name = "workload-gwlbe-euw1-az1"
  }
}

endpoint "gwlbe_b" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.workload
  subnets = [subnet.inspection_b]
  tags = {
    Name = "workload-gwlbe-euw1-az2"
  }
}

# --- Route tables -----------------------------------------------------------

# Ingress routing: associated with the internet gateway itself (an edge
# association), so traffic arriving from the internet for an app subnet is
# sent to the endpoint in that subnet's AZ first. These destinations are
# inside the VPC's CIDR, more specific than the local route: AWS accepts that
# only when the target is a middlebox such as a GWLB endpoint and the
# destination is exactly one subnet's CIDR (here, each app subnet's).
route_table "ingress" {
  vpc  = vpc.workload
  edge = internet_gateway.main

  route {
    destination = "10.10.1.0/24" # subnet.app_a
    target      = endpoint.gwlbe_a
  }

  route {
    destination = "10.10.2.0/24" # subnet.app_b
    target      = endpoint.gwlbe_b
  }

  tags = {
    Name = "workload-rt-ingress"
  }
}

# App subnets: everything not local goes to the GWLB endpoint of the same AZ.
# One table per AZ, because the next hop differs per AZ.
route_table "app_a" {
  vpc = vpc.workload

  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_a
  }

  tags = {
    Name = "workload-rt-app-euw1-az1"
  }
}

route_table "app_b" {
  vpc = vpc.workload

  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_b
  }

  tags = {
    Name = "workload-rt-app-euw1-az2"
  }
}

# Inspection subnets: inspected traffic leaves for the internet gateway.
# Traffic for the app subnets follows the local route. Neither route points
# back at a GWLB endpoint, so there is no loop.
route_table "inspection" {
  vpc = vpc.workload

  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }

  tags = {
    Name = "workload-rt-inspection"
  }
}
