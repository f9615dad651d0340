print("clientele-bench")
