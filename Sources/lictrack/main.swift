print("lictrack")
