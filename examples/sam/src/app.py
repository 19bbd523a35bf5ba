"""Checkout handler (example only; ddb-guard never runs or imports it)."""

import json
import os
import uuid

import boto3

_orders = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])


def checkout(event, context):
    body = json.loads(event.get("body") or "{}")
    order_id = str(uuid.uuid4())
    _orders.put_item(Item={"order_id": order_id, "items": body.get("items", [])})
    return {"statusCode": 201, "body": json.dumps({"order_id": order_id})}
