# The org's mappings as code (test/e2e/suite/mappings.test.ts): the emulator's
# default identity mapping is declared here, its intake mapping is not, so the
# Workload Identity Federation view marks one "declared in" and the other
# "not in code".
terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0"
    }
  }
}

resource "datadog_aws_wif_identity_mapping" "terraform_runner" {
  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/terraform-runner/*"
  account_identifier = "terraform@example.com"
}

# Declared for another account than the one the suite's Create Identity Mapping
# gives it: once created, the view marks it "declared … for another account".
resource "datadog_aws_wif_identity_mapping" "deploy" {
  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/deploy/*"
  account_identifier = "release-bot@example.com"
}

# An intake mapping of another role under the name an export of the org's
# terraform-runner intake mapping would take: the view's Export to Terraform
# names that one apart (terraform_runner_2), as it is pasted among these.
resource "datadog_aws_wif_intake_mapping" "terraform_runner" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/terraform-runner-legacy/*"
}
