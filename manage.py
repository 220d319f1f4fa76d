#!/usr/bin/env python
from anjian.cli import main

if __name__ == "__main__":
    main()
