variable "region" {
  description = "AWS region to deploy to"
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix for every resource name"
  type        = string
  default     = "shop"
}

variable "api_memory_mb" {
  description = "Memory for the API function (tune with AWS Lambda Power Tuning)"
  type        = number
  default     = 1024
}

variable "api_provisioned_concurrency" {
  description = "Warm environments kept for the API function"
  type        = number
  default     = 2
}

variable "events_table_name" {
  description = "DynamoDB table the ingest function writes to"
  type        = string
  default     = "shop-events"
}
