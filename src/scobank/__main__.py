from scobank.cli import main

main()
