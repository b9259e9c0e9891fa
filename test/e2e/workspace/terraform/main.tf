terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0"
    }
  }
}

provider "datadog" {
  cloud_provider_type = "gcp"
  org_uuid            = var.datadog_org_uuid
}
