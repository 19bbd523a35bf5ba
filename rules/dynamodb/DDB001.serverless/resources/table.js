module.exports = () => ({ Type: "AWS::DynamoDB::Table" });
