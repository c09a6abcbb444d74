"""Exit 0 when the PostgreSQL test database is reachable (creating it if missing), 1 otherwise."""

from __future__ import annotations

import sys

import psycopg
from sqlalchemy.engine import make_url


def main(url: str) -> int:
    parsed = make_url(url)
    params = {
        "host": parsed.host or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": parsed.username or "postgres",
        "password": parsed.password or None,
        "connect_timeout": 3,
    }
    try:
        with psycopg.connect(dbname=parsed.database, **params):
            return 0
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            print(f"PostgreSQL not reachable: {str(error).strip().splitlines()[0]}")
            return 1
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(f'CREATE DATABASE "{parsed.database}"')
        return 0
    except psycopg.Error as error:
        print(f"PostgreSQL database {parsed.database} cannot be created: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
