from backplan.cli.app import main

main()
