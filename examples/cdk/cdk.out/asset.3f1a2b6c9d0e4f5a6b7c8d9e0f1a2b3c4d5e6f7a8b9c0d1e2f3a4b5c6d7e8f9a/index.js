// Bundled Lambda asset (example). ddb-guard must skip asset.* directories.
"use strict";
const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  await client.send(new PutItemCommand({
    TableName: process.env.ORDERS_TABLE,
    Item: { orderId: { S: event.orderId } },
  }));
  return { statusCode: 200 };
};
