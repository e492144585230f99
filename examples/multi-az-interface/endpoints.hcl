# ---------------------------------------------------------------------------
# S3: gateway endpoint (free, no ENIs)
# ---------------------------------------------------------------------------
# Traffic from the VPC to S3 in eu-west-1 follows a prefix-list route that the
# endpoint adds to each table listed here. It is on every table that has
# subnets, so no subnet is left without a private path to S3.
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.app, route_table.endpoints]

  # Data perimeter: only the platform's artifacts bucket, plus the AWS-owned
  # bucket that holds ECR image layers (docker pulls fetch layers from S3
  # through this endpoint, not through ecr.dkr).
  policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EcrImageLayers"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject"]
        Resource  = ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]
      },
      {
        Sid       = "ListArtifactsBucket"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::${local.artifacts_bucket}"]
      },
      {
        Sid       = "ReadWriteArtifacts"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject", "s3:PutObject"]
        Resource  = ["arn:aws:s3:::${local.artifacts_bucket}/*"]
      },
    ]
  }

  tags = {
    Name = "${var.env}-platform-vpce-s3"
  }
}

# ---------------------------------------------------------------------------
# Interface endpoints
# ---------------------------------------------------------------------------
# Every interface endpoint follows the same shape:
#   - one ENI per AZ, in the dedicated endpoint subnet of each of the three AZs
#     the VPC uses, so an AZ outage only takes out that AZ's ENI and traffic
#     never crosses zones;
#   - the "endpoints" security group (TCP 443 from the VPC);
#   - private DNS on, so the SDKs' default names (ssm.eu-west-1.amazonaws.com)
#     resolve to the endpoint's private addresses. Exactly one endpoint per
#     service has private DNS in this VPC.

# One block for every interface endpoint: `for_each` makes one instance per
# key, addressed `endpoint.aws["ssm"]` and named `aws_ssm` (logical id
# `EndpointAwsSsm`); the key is also the Name tag's suffix, the value the service.
endpoint "aws" {
  for_each = {
    # Session Manager: ssm, ssmmessages and ec2messages are needed together for
    # instances without internet access to register and open sessions.
    ssm         = "ssm"
    ssmmessages = "ssmmessages"
    ec2messages = "ec2messages"
    # Container images: ecr.api (registry API, auth tokens) and ecr.dkr (docker
    # registry protocol). Layers themselves come from S3, see above.
    "ecr-api" = "ecr.api"
    "ecr-dkr" = "ecr.dkr"
    # Logs, secrets, keys and credentials. Regional STS: with private DNS,
    # sts.eu-west-1.amazonaws.com resolves here; make sure SDKs use the regional
    # endpoint (the default in current SDKs), not the global sts.amazonaws.com.
    logs           = "logs"
    secretsmanager = "secretsmanager"
    kms            = "kms"
    sts            = "sts"
  }
  type            = "interface"
  service         = each.value
  vpc             = vpc.main
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "${var.env}-platform-vpce-${each.key}"
  }
}
