# The Datadog Terraform provider authenticating with AWS credentials
# (Workload Identity Federation) instead of API and application keys.
terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0, < 5.0.0"
    }
  }
}

variable "datadog_org_uuid" {
  type = string
}

provider "datadog" {
  cloud_provider_type = "aws"
  org_uuid            = var.datadog_org_uuid
  api_url             = "https://api.datadoghq.eu/"
}

# Who may fetch the org's managed API key: the Agent's role, any session.
resource "datadog_aws_wif_intake_mapping" "agents" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/datadog-agent/*"
}

# Who may act as a Datadog user: the CI role, any session.
resource "datadog_aws_wif_identity_mapping" "ci" {
  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/ci-deployer/*"
  account_identifier = "ci-bot@example.com"
}
