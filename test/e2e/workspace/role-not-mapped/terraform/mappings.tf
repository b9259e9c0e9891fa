# The org's intake mappings: who may fetch the managed API key.
terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0, < 5.0.0"
    }
  }
}

# The Agents on EKS (../k8s/datadog-agent.yaml), any session of their role.
resource "datadog_aws_wif_intake_mapping" "datadog_agent" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/datadog-agent/*"
}
