# The Datadog Agent as an ECS task defined in Terraform, authenticating with
# its task role (delegated authentication), an API key from Secrets Manager
# as the fallback, and the intake mapping that lets the task role in.
resource "aws_iam_role" "datadog_agent" {
  name = "datadog-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_secretsmanager_secret" "datadog_api_key" {
  name = "datadog-api-key"
}

resource "aws_ecs_task_definition" "datadog_agent" {
  family        = "datadog-agent"
  task_role_arn = aws_iam_role.datadog_agent.arn

  container_definitions = jsonencode([
    {
      name      = "datadog-agent"
      image     = "public.ecr.aws/datadog/agent:7.78.0"
      essential = true
      environment = [
        { name = "DD_SITE", value = "datadoghq.com" },
        { name = "DD_DELEGATED_AUTH_ORG_UUID", value = "11111111-2222-3333-4444-555555555555" },
        { name = "DD_DELEGATED_AUTH_AWS_REGION", value = "us-east-1" },
      ]
      secrets = [
        { name = "DD_API_KEY", valueFrom = aws_secretsmanager_secret.datadog_api_key.arn },
      ]
    },
  ])
}

resource "datadog_aws_wif_intake_mapping" "datadog_agent" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/datadog-agent/*"
}
