"""The demo: La Machinerie, a fab lab in Amiens, loaded by `manage.py load_demo_data`.

The words live in data files (demo/content/, read by reader.py); the loaders write them through
the apps' services, as members would. Development only: production does not install this app."""
