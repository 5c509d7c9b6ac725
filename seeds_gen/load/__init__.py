"""`python -m seeds_gen load`: stream a generated dataset into a database that cannot read its
files (a remote server), into exactly the seed tables `dbt seed` makes; `dbt build` then keeps
them. See cli.py for the flow."""
