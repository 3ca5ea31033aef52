from corridor.cli.app import main

main()
