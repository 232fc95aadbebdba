import LicTrackCLI

LicTrackMain.main()
