"""ddb-guard: a policy-as-code linter for DynamoDB protection and AWS Backup cost."""

__version__ = "0.1.0"
INFORMATION_URI = "https://github.com/ddb-guard/ddb-guard"
