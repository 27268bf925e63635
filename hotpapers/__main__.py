import sys

from hotpapers.cli import main

sys.exit(main())
