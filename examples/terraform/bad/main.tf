# Every common Terraform mistake with Workload Identity Federation.
terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = "~> 3.7" # admits 3.7.0 to < 4.0.0: cloud auth needs 3.70.0
    }
  }
}

provider "datadog" {
  cloud_provider_type   = "gcp"          # only "aws"
  cloud_provider_region = "us-est-1"     # a typo
  api_key               = var.api_key    # ignored beside cloud auth
  aws_access_key_id     = "AKIAIOSFODNN7EXAMPLE"
}

resource "datadog_aws_wif_identity_mapping" "ci" {
  # The IAM role ARN never matches: callers present the assumed-role ARN.
  arn_pattern        = "arn:aws:iam::123456789012:role/service-role/ci-deployer"
  account_identifier = "not an email"
}

resource "datadog_aws_wif_intake_mapping" "agents" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/datadog-agent/*"
}

resource "datadog_aws_wif_intake_mapping" "agents_again" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/datadog-agent/i-0123456789abcdef0"
}
