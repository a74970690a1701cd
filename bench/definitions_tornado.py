#!/usr/bin/python3
"""Python Tornado's dictionary service (the book's definitions_readwrite.py), the baseline for
bench/database.

Run: /usr/bin/python3 bench/definitions_tornado.py --port=8000 --db=URL --logging=none
  --db=sqlite:///path/file.db        Python's sqlite3
  --db=postgresql://user@/db?host=…  psycopg2 (Debian python3-psycopg2)

The book's routes and answers on SQL instead of MongoDB, as chapters/04-database/definitions
does: GET /<word> answers {"word": …, "definition": …} or 404 with an empty body; POST /<word>
with the form field definition stores it (one upsert statement, where the book reads the
document first and then saves or inserts it) and answers the JSON. The table is the sample's
(chapters/04-database/definitions/migrations/0001_words.sql); SQLite runs in WAL mode with
synchronous=NORMAL, as tornado-cpp's SQLite connections do. Like the book's pymongo, both
drivers block: every query runs on the loop's thread, so the loop waits for each one.
Listens on 127.0.0.1 only.
"""
import os

import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web
from tornado.options import define, options

define("port", default=8000, help="run on the given port", type=int)
define("db", default="", help="the database: sqlite:///path/file.db or postgresql://…")

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "chapters", "04-database",
                      "definitions", "migrations", "0001_words.sql")
UPSERT = ("INSERT INTO words (word, definition) VALUES ({p}, {p}) "
          "ON CONFLICT (word) DO UPDATE SET definition = excluded.definition")


class Database:
    """One blocking connection and the placeholder its driver uses."""

    def __init__(self, url):
        if url.startswith("sqlite://"):
            import sqlite3
            self.conn = sqlite3.connect(url[len("sqlite://"):], isolation_level=None)  # autocommit
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.placeholder = "?"
        elif url.startswith(("postgresql://", "postgres://")):
            import psycopg2
            self.conn = psycopg2.connect(url)
            self.conn.autocommit = True
            self.placeholder = "%s"
        else:
            raise SystemExit("definitions_tornado.py: --db must be sqlite:///… or postgresql://…")
        with open(SCHEMA, encoding="utf-8") as schema:
            create = schema.read().replace("CREATE TABLE words", "CREATE TABLE IF NOT EXISTS words")
        self.execute(create)

    def execute(self, sql, *args):
        cursor = self.conn.cursor()
        cursor.execute(sql.format(p=self.placeholder), args)
        return cursor


class WordHandler(tornado.web.RequestHandler):
    def initialize(self, db):
        self.db = db

    def get(self, word):
        row = self.db.execute("SELECT word, definition FROM words WHERE word = {p}", word).fetchone()
        if row:
            self.write({"word": row[0], "definition": row[1]})
        else:
            self.set_status(404)

    def post(self, word):
        definition = self.get_argument("definition")
        self.db.execute(UPSERT, word, definition)
        self.write({"word": word, "definition": definition})


if __name__ == "__main__":
    tornado.options.parse_command_line()
    database = Database(options.db)
    app = tornado.web.Application([(r"/(\w+)", WordHandler, {"db": database})])
    http_server = tornado.httpserver.HTTPServer(app)
    http_server.listen(options.port, address="127.0.0.1")
    tornado.ioloop.IOLoop.current().start()
